// Pure data shapes of the authorization model; no database here, so the evaluator can be unit-tested.

export type Scope = 'Organization' | 'Asset'

export type PermissionDef = {
  key: string
  slug: string
  category: string
  name: string
  purpose: string
  allowedScopes: Scope[]
  allowStages: boolean
  inherits: string[]
  position: number
}

export type StageRef = { key: string; code: string; name: string }

export type Catalogue = {
  permissions: Map<string, PermissionDef>
  stages: Map<string, StageRef>
}

export type GrantedPermission = { slug: string; stageKeys: string[] | null }

/** One organization role held by a principal, at organization scope or for one app. */
export type Grant = {
  roleKey: string
  roleName: string
  appKey: string | null
  appName: string | null
  startsAt: Date | null
  endsAt: Date | null
  permissions: GrantedPermission[]
}

export type Principal = {
  type: 'user' | 'api_client'
  key: string
  label: string
  grants: Grant[]
}

export type CheckTarget = { appKey?: string | null; stageKey?: string | null }
