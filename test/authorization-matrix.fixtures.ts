import { eq, sql } from 'drizzle-orm'
import { getDb } from '@/db/client'
import { apiClientPermissions, apiClients, apiClientSecrets, auditEvents, emailSettings, roleAssignments, stages, userCredentials, users, type UserStatus } from '@/db/schema'
import { hashClientSecret, newClientId, newClientSecret } from '@/lib/api-clients/secret'
import { issueClientToken } from '@/lib/api/issue-client-token'
import { hashPassword } from '@/lib/auth/passwords'
import { openPortalSession } from '@/lib/auth/sessions'
import { openStageSession } from '@/lib/auth/stage-sessions'
import { permissionsBySlug } from '@/lib/authz/catalogue'
import { sha256 } from '@/lib/auth/tokens'
import { systemCtx, type Ctx } from '@/lib/context'
import { createApp, createAppRole, createGroup, grantAppRole } from './access-factories'
import { createMember, createRole, roleKeyOf, stageKeyOf } from './factories'
import { anonymous, asUser, setupOrganization, uniqueEmail } from './harness'

// Principals and fresh targets for test/authorization-matrix.int.test.ts. Every target is created
// anew for each cell, directly in the database, so that one cell's change cannot decide another's.

export const PRINCIPALS = ['admin', 'developer', 'qaRole', 'appMember', 'endUser', 'signedOut'] as const
export type PrincipalName = (typeof PRINCIPALS)[number]

export const STAGES = ['DEV', 'QA', 'PRD'] as const
export type StageCode = (typeof STAGES)[number]

export const QA_ROLE = 'QA end-user manager'

export type World = {
  users: Record<Exclude<PrincipalName, 'signedOut'>, { key: string; label: string }>
  stage: Record<StageCode, string>
  roleKey: { administrator: string; developer: string; qa: string }
  /** A request context for the principal: a new one per call, so nothing is cached across calls. */
  ctx: (who: PrincipalName) => Ctx
}

let n = 0
export const uniq = (prefix: string) => `${prefix} ${Date.now().toString(36)}-${++n}`

/**
 * Administrator (the first-run administrator); Developer at organization scope; a custom role
 * limited to QA (manage end-user access and groups, view end-users — all in QA only — and view
 * members everywhere); a member whose only role is Developer for one app; an end-user holding one
 * application role and no organization role; and nobody (signed out).
 */
export async function buildWorld(): Promise<World> {
  const org = await setupOrganization()
  const stage = { DEV: await stageKeyOf('DEV'), QA: await stageKeyOf('QA'), PRD: await stageKeyOf('PRD') }
  await createRole(QA_ROLE, [
    { slug: 'endusers.manage_access', stages: ['QA'] },
    { slug: 'endusers.manage_groups', stages: ['QA'] },
    { slug: 'endusers.view', stages: ['QA'] },
    { slug: 'users.view_members' },
  ])
  const roleKey = { administrator: await roleKeyOf('Administrator'), developer: await roleKeyOf('Developer'), qa: await roleKeyOf(QA_ROLE) }
  const developer = await createMember(org.admin, { role: 'Developer', name: 'Dev Eloper' })
  const qa = await createMember(org.admin, { role: QA_ROLE, name: 'Quinn Assurance' })

  const appMember = await insertUser({ name: 'App Member', isMember: true })
  const home = await createApp(uniq('App member home'))
  await grantAppScope(appMember, home.key, roleKey.developer)

  const endUser = await insertUser({ name: 'End User' })
  const app = await createApp(uniq('End-user app'))
  const role = await createAppRole(app.key, 'Reader')
  await grantAppRole(endUser, [role.instances.get('DEV')!])

  const principals = {
    admin: { key: org.userKey, label: 'admin' },
    developer: { key: developer.userKey, label: developer.email },
    qaRole: { key: qa.userKey, label: qa.email },
    appMember: { key: appMember, label: 'app-member' },
    endUser: { key: endUser, label: 'end-user' },
  }
  return {
    users: principals,
    stage,
    roleKey,
    ctx: (who) => (who === 'signedOut' ? anonymous() : asUser(principals[who].key, principals[who].label)),
  }
}

/** A user (Active unless told) with an empty built-in credential, in one statement. */
export async function insertUser(opts: { name?: string; status?: UserStatus; isMember?: boolean; email?: string | null } = {}): Promise<string> {
  const db = await getDb()
  const email = opts.email === undefined ? uniqueEmail('target') : opts.email
  const { rows } = await db.execute(sql`
    with u as (
      insert into users (name, email, status, is_member) values (${opts.name ?? uniq('User')}, ${email}, ${opts.status ?? 'Active'}, ${opts.isMember ?? false}) returning key
    ), c as (insert into user_credentials (user_key) select key from u)
    select key from u`)
  return (rows[0] as { key: string }).key
}

/** A member holding `roleKey` at organization scope (Developer unless told). */
export async function newMember(w: World, opts: { status?: UserStatus; roleKey?: string } = {}): Promise<string> {
  const key = await insertUser({ status: opts.status, isMember: true })
  const db = await getDb()
  await db.insert(roleAssignments).values({ userKey: key, roleKey: opts.roleKey ?? w.roleKey.developer })
  return key
}

export async function grantAppScope(userKey: string, appKey: string, roleKey: string): Promise<void> {
  const db = await getDb()
  await db.insert(roleAssignments).values({ userKey, roleKey, appKey })
  await db.update(users).set({ isMember: true }).where(eq(users.key, userKey))
}

export type TargetApp = { key: string; roleKey: string; instances: Map<string, string> }

/**
 * A fresh app deployed to every stage with one application role. `ofAppMember`: the app member
 * holds Developer for it (their app-scope role), so "their app" cells have a target of their own.
 */
export async function newApp(w: World, opts: { ofAppMember?: boolean } = {}): Promise<TargetApp> {
  const db = await getDb()
  const roleName = uniq('Role').replace(/\W/g, '_')
  // The app, its stages, one role and its instances in one statement (the cells make hundreds).
  const { rows } = await db.execute(sql`
    with a as (insert into apps (name) values (${uniq('App')}) returning key),
    d as (insert into app_stages (app_key, stage_key) select a.key, s.key from a, stages s),
    r as (insert into app_roles (app_key, name, claim_name) select a.key, ${roleName}, ${roleName} from a returning key, app_key),
    i as (insert into app_role_instances (app_role_key, app_key, stage_key) select r.key, r.app_key, s.key from r, stages s returning key, stage_key, app_key, app_role_key)
    select i.key, i.stage_key as "stageKey", i.app_key as "appKey", i.app_role_key as "roleKey" from i`)
  const instances = rows as Array<{ key: string; stageKey: string; appKey: string; roleKey: string }>
  const codeOf = new Map(Object.entries(w.stage).map(([code, key]) => [key, code]))
  const app = { key: instances[0].appKey, roleKey: instances[0].roleKey, instances: new Map(instances.map((i) => [codeOf.get(i.stageKey)!, i.key])) }
  if (opts.ofAppMember) await grantAppScope(w.users.appMember.key, app.key, w.roleKey.developer)
  return app
}

/** A user whose only access is an application role of a fresh app in one stage (an end-user there). */
export async function newEndUser(w: World, stage: StageCode, opts: { ofAppMember?: boolean } = {}): Promise<{ userKey: string; app: TargetApp }> {
  const app = await newApp(w, opts)
  const userKey = await insertUser()
  await grantAppRole(userKey, [app.instances.get(stage)!])
  return { userKey, app }
}

/** A fresh group in the stage granting one application role there, with one Assigned member. */
export async function newGroup(w: World, stage: StageCode): Promise<{ groupKey: string; memberKey: string; app: TargetApp }> {
  const app = await newApp(w)
  const memberKey = await insertUser()
  const groupKey = await createGroup(uniq('Group'), stage, { instanceKeys: [app.instances.get(stage)!], userKeys: [memberKey] })
  return { groupKey, memberKey, app }
}

/**
 * A fresh API client holding one permission, with a live secret (expiring in 60 days) whose value is
 * returned; suspended when asked. Inserted directly: creating one has its own cells.
 */
export async function newApiClient(w: World, opts: { suspended?: boolean } = {}): Promise<{ clientKey: string; clientId: string; secret: string }> {
  const db = await getDb()
  const secret = newClientSecret()
  const [client] = await db
    .insert(apiClients)
    .values({ clientId: newClientId(), name: uniq('API client'), suspendedAt: opts.suspended ? new Date() : null })
    .returning({ key: apiClients.key, clientId: apiClients.clientId })
  await db.insert(apiClientSecrets).values({ clientKey: client.key, secretHash: hashClientSecret(secret), expiresAt: new Date(Date.now() + 60 * 86_400_000) })
  await db.insert(apiClientPermissions).values({ clientKey: client.key, permissionKey: permissionsBySlug.get('endusers.view')!.key, stageKeys: [w.stage.QA] })
  return { clientKey: client.key, clientId: client.clientId, secret }
}

/** An access token for the API client, from the token endpoint's use case (client credentials). */
export async function apiClientToken(client: { clientId: string; secret: string }): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret })
  return (await issueClientToken(systemCtx('test'), form)).access_token
}

/** The context apiHandler gives a use case for a request authenticated as the API client. */
export const apiClientCtx = (client: { clientKey: string }): Ctx => ({ actor: { type: 'api_client', clientKey: client.clientKey, label: 'API client' }, ip: '127.0.0.1', userAgent: 'vitest' })

/** Opens a portal session for the user and returns its public id (the hash the session list shows). */
export async function openSession(userKey: string): Promise<string> {
  const db = await getDb()
  const token = await db.transaction((tx) => openPortalSession(tx, userKey, new Date(), { ip: '127.0.0.1', userAgent: 'vitest' }))
  return sha256(token)
}

/** A new session of the principal (none when signed out), for the "my sessions" use cases. */
export async function sessionOf(w: World, who: PrincipalName): Promise<string | undefined> {
  return who === 'signedOut' ? undefined : openSession(w.users[who].key)
}

/** Opens a session on a stage as its sign-in does and returns its hash (what a stage request's context carries). */
export async function openStageSessionOf(userKey: string, stageKey: string): Promise<string> {
  const db = await getDb()
  const [stage] = await db.select().from(stages).where(eq(stages.key, stageKey))
  const { token } = await db.transaction((tx) => openStageSession(tx, userKey, stage, new Date(), { ip: '127.0.0.1', userAgent: 'vitest-stage' }))
  return sha256(token)
}

const hashes = new Map<string, Promise<string>>()

/** Gives the user this password (hashed once per run) and a clean lockout count. */
export async function setPassword(userKey: string, password: string): Promise<void> {
  if (!hashes.has(password)) hashes.set(password, hashPassword(password))
  const passwordHash = await hashes.get(password)!
  const db = await getDb()
  await db.update(userCredentials).set({ passwordHash, failedAttempts: 0, lockedUntil: null }).where(eq(userCredentials.userKey, userKey))
}

/**
 * The saved SMTP server: `present` writes one (as Settings → Email delivery would leave it, no
 * password), otherwise none is left. With a saved server every later mail kick would try to
 * deliver, so a cell that leaves one must remove it when it ends.
 */
export async function setEmailSettings(present: boolean): Promise<void> {
  const db = await getDb()
  await db.delete(emailSettings)
  if (present) await db.insert(emailSettings).values({ host: 'smtp.example.test', port: 587, security: 'starttls', fromName: 'Acme', fromAddress: 'mail@example.test' })
}

/** The principal's context as a request made through that session would carry it. */
export function signedInWith(ctx: Ctx, sessionIdHash: string | undefined): Ctx {
  return ctx.actor?.type === 'user' && sessionIdHash ? { ...ctx, actor: { ...ctx.actor, sessionIdHash } } : ctx
}

let tables: string[] | undefined

/**
 * Per table, its row count and the newest row version (max xmin): any committed insert or update
 * writes a row version with a newer transaction id and any delete lowers the count, so "nothing
 * changed" is every table answering the same before and after. One cheap round trip.
 */
export async function fingerprint(): Promise<Record<string, string>> {
  const db = await getDb()
  tables ??= ((await db.execute(sql`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)).rows as Array<{ t: string }>).map((r) => r.t)
  const columns = tables.map((t) =>
    t === 'user_count_deltas'
      ? // The dashboard folds these rows when it reads them; what they add up to is what must not change.
        `(select coalesce(string_agg(kind || '=' || n, ',' order by kind), '') from (select kind, sum(delta) as n from "${t}" group by kind) c) as "${t}"`
      : `(select count(*) || '/' || coalesce(max(xmin::text::bigint), 0) from "${t}") as "${t}"`,
  )
  return (await db.execute(sql.raw(`select ${columns.join(', ')}`))).rows[0] as Record<string, string>
}

export async function lastAuditId(): Promise<number> {
  const db = await getDb()
  const [row] = await db.select({ id: sql<number>`coalesce(max(${auditEvents.id}), 0)`.mapWith(Number) }).from(auditEvents)
  return row.id
}

export async function auditSince(id: number) {
  const db = await getDb()
  return db.select().from(auditEvents).where(sql`${auditEvents.id} > ${id}`)
}
