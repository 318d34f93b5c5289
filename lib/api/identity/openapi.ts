import contract from './odc-identity-v1.openapi.json'

// The OpenAPI document of /api/identity/v1 served at /api/identity/v1/openapi.json and rendered on
// the portal's API reference page. Its structure — paths, parameters, schemas, statuses — is the
// contract the API is wire-compatible with (the same file the contract tests check every response
// against), so clients generated from either work the same. The prose is Gatehouse's: the
// contract's descriptions are dropped and each operation gets a summary and the permission it
// needs here.

type Json = { [key: string]: unknown }

type OperationNote = { summary: string; permission: string }

const notes: Record<string, OperationNote> = {
  UserProfile_QueryUsers: { summary: 'List users, filtered and sorted, a page at a time', permission: 'endusers.view, users.view_members or users.manage (each sees its own users)' },
  UserProfile_CountUsers: { summary: 'Count users matching the same filters as the list', permission: 'endusers.view, users.view_members or users.manage' },
  UserProfile_CreateUser: { summary: 'Create a user, optionally with a built-in sign-in account (no email is sent)', permission: 'users.manage' },
  UserProfile_GetUser: { summary: 'Read one user', permission: 'endusers.view, users.view_members or users.manage' },
  UserProfile_PatchUser: { summary: 'Change a user’s name, photo or active state; absent fields stay as they are', permission: 'users.manage' },
  UserProfile_DeleteUser: { summary: 'Delete a user with their roles, group memberships and sessions', permission: 'users.manage' },
  UserProfile_QueryGroupsByUser: { summary: 'List the end-user groups a user belongs to', permission: 'endusers.manage_groups' },
  BulkUserProfile_CreateBulkUserProfilesOperation: { summary: 'Create 1–100 users in one asynchronous operation', permission: 'users.manage' },
  BulkUserProfile_GetBulkUserProfileOperationStatus: { summary: 'Read a bulk operation’s status and, once finished, one result per record', permission: 'users.manage' },
  UserApplicationRoles_QueryUserApplicationRoles: { summary: 'List a user’s end-user roles, directly granted or through groups', permission: 'endusers.view' },
  UserApplicationRoles_GrantApplicationRoleToUser: { summary: 'Grant an end-user role to a user (granting it again changes nothing)', permission: 'endusers.manage_access' },
  UserApplicationRoles_RevokeApplicationRoleForUser: { summary: 'Revoke a user’s direct grant of an end-user role; roles through groups remain', permission: 'endusers.manage_access' },
  UserOrganizationRoles_GetUserOrganizationRoles: { summary: 'List a member’s organization roles, at organization and app scope', permission: 'users.view_members or users.manage' },
  UserOrganizationRoles_GrantOrganizationRoleToUser: { summary: 'Grant an organization role at organization scope or for some apps', permission: 'users.manage_member_access' },
  UserOrganizationRoles_RevokeOrganizationRoleForUser: { summary: 'Revoke an organization role at organization scope or for some apps', permission: 'users.manage_member_access' },
  ApplicationRole_QueryApplicationRoles: { summary: 'List end-user roles of apps, per stage', permission: 'endusers.view' },
  ApplicationRole_QueryUsersByApplicationRole: { summary: 'List the users holding an end-user role, directly or through groups', permission: 'endusers.view' },
  Group_CreateGroup: { summary: 'Create an end-user group in a stage, optionally with roles', permission: 'endusers.manage_groups' },
  Group_QueryGroups: { summary: 'List end-user groups', permission: 'endusers.manage_groups' },
  Group_ReadGroup: { summary: 'Read one end-user group', permission: 'endusers.manage_groups' },
  Group_UpdateGroup: { summary: 'Rename a group or change its description', permission: 'endusers.manage_groups' },
  Group_DeleteGroup: { summary: 'Delete a group; its members lose the roles it gave them', permission: 'endusers.manage_groups' },
  Group_QueryUsersFromGroup: { summary: 'List a group’s members', permission: 'endusers.manage_groups' },
  Group_AddOrRemoveUsersFromGroup: { summary: 'Add and remove members of a group (at most 20 of each per call)', permission: 'endusers.manage_groups' },
  Group_QueryApplicationRolesGroups: { summary: 'List the end-user roles a group gives its members', permission: 'endusers.manage_groups' },
  Group_ModifyGroupApplicationRoles: { summary: 'Add and remove end-user roles of a group', permission: 'endusers.manage_groups' },
  GroupIdpClaimMapping_DeleteGroupIdpClaimMapping: { summary: 'Delete a mapping from an identity provider’s group claim to this group', permission: 'endusers.manage_groups' },
  IdentityProvider_QueryIdentityProviders: { summary: 'List identity providers', permission: 'any permission' },
  IdentityProvider_ReadIdentityProvider: { summary: 'Read one identity provider', permission: 'any permission' },
  OrganizationRole_QueryOrganizationRoles: { summary: 'List organization roles with their permissions', permission: 'any permission' },
  OrganizationRole_ReadOrganizationRole: { summary: 'Read one organization role', permission: 'any permission' },
  OrganizationRole_CreateOrganizationRole: { summary: 'Create an organization role from registry permissions', permission: 'users.manage_roles' },
  OrganizationRole_UpdateOrganizationRole: { summary: 'Rename a role or replace its permissions (built-in roles cannot change)', permission: 'users.manage_roles' },
  OrganizationRole_DeleteOrganizationRole: { summary: 'Delete an organization role (built-in roles cannot be deleted)', permission: 'users.manage_roles' },
  OrganizationRole_QueryUsersByRole: { summary: 'List the members holding an organization role', permission: 'users.view_members' },
  Permission_QueryPermissions: { summary: 'List the permission registry', permission: 'any permission' },
  Permission_ReadPermission: { summary: 'Read one permission', permission: 'any permission' },
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

const TAGS = [
  { name: 'users', description: 'Users: members and end-users, their profiles and status.' },
  { name: 'organization-roles', description: 'Organization roles and the members who hold them.' },
  { name: 'application-roles', description: 'End-user roles of apps, one per app role and stage.' },
  { name: 'groups', description: 'End-user groups: members and the roles they give.' },
  { name: 'identity-providers', description: 'Where users sign in.' },
  { name: 'permissions', description: 'The permission registry organization roles are built from.' },
]

function withoutProse(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutProse)
  if (!node || typeof node !== 'object') return node
  const out: Json = {}
  for (const [k, v] of Object.entries(node)) if (k !== 'description' && k !== 'summary') out[k] = withoutProse(v)
  return out
}

export type IdentityOpenApi = ReturnType<typeof identityOpenApi>

export function identityOpenApi(serverUrl = '/api/identity/v1') {
  const paths = withoutProse(contract.paths) as Record<string, Json>
  for (const item of Object.values(paths)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined
      if (!op) continue
      const note = notes[op.operationId as string]
      if (!note) throw new Error(`No summary for ${String(op.operationId)}`)
      op.summary = note.summary
      op['x-gatehouse-permission'] = note.permission
      // Statuses need a description in OpenAPI 3.0; the reason phrase is enough.
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) response.description = reasonPhrase(status)
    }
  }
  return {
    openapi: contract.openapi,
    info: {
      title: 'Gatehouse identity API',
      version: 'v1',
      description:
        'Users, organization roles, end-user roles, groups, identity providers and permissions, wire-compatible with the User and Access Management API v1 of OutSystems Developer Cloud: a script written for it runs unchanged here. Bearer tokens from POST /identity/connect/token (client credentials).',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerAuth: [] }],
    tags: TAGS,
    paths,
    components: {
      schemas: withoutProse(contract.components.schemas) as Json,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from POST /identity/connect/token (client credentials).' } },
    },
  }
}

function reasonPhrase(status: string): string {
  const phrases: Record<string, string> = {
    '200': 'OK',
    '201': 'Created',
    '202': 'Accepted',
    '204': 'No content',
    '400': 'The request is not valid; nothing was changed',
    '401': 'No valid bearer token, or the API client is suspended, deleted or its secret expired',
    '403': 'The API client lacks the permission',
    '404': 'Not found in this organization',
    '409': 'Conflicts with the current state',
    '429': 'Over the organization’s request limit; see Retry-After',
    default: 'An error',
  }
  return phrases[status] ?? 'Response'
}
