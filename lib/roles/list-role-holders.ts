import 'server-only'
import { and, asc, count, desc, eq, sql } from 'drizzle-orm'
import { apps, roleAssignments, users, type UserStatus } from '@/db/schema'
import { periodState, type GrantPeriodState } from '../authz/evaluate'
import { nowOf, withTransaction, type Ctx } from '../context'
import { parse } from '../validation'
import { requireRoleViewer } from './access'
import { findRole } from './role-store'
import { listRoleHoldersSchema } from './schemas'

export type RoleHolder = {
  /** The grant's key: one user may hold the role at organization scope and for several apps. */
  grantKey: string
  userKey: string
  name: string
  email: string | null
  status: UserStatus
  scope: { type: 'organization' } | { type: 'app'; appKey: string; appName: string }
  state: GrantPeriodState
  startsAt: Date | null
  endsAt: Date | null
}

export type RoleHolderPage = { rows: RoleHolder[]; next: string | null; previous: string | null; total: number }

type Cursor = [string, string]
const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url')
function decode(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && /^[0-9a-f-]{36}$/i.test(v[1])) return v as Cursor
  } catch {
    // a mangled cursor restarts from the first page
  }
  return undefined
}

/**
 * "Users with this role" (AUTHZ-7): every grant of the role, by holder name, in keyset pages over
 * (lower(name), grant key) so that deep pages cost what the first does.
 */
export async function listRoleHolders(ctx: Ctx, input: unknown): Promise<RoleHolderPage> {
  const p = parse(listRoleHoldersSchema, input)
  return withTransaction(ctx, async (tx, ctx) => {
    await requireRoleViewer(tx, ctx)
    await findRole(tx, p.roleKey)
    const sortKey = sql`lower(${users.name})`
    const backwards = Boolean(p.before) && !p.after
    const cursor = decode(backwards ? p.before : p.after)
    const keyset = cursor
      ? backwards
        ? sql`(${sortKey}, ${roleAssignments.key}) < (${cursor[0]}, ${cursor[1]})`
        : sql`(${sortKey}, ${roleAssignments.key}) > (${cursor[0]}, ${cursor[1]})`
      : undefined
    const fetched = await tx
      .select({
        grantKey: roleAssignments.key,
        userKey: users.key,
        name: users.name,
        email: users.email,
        status: users.status,
        appKey: roleAssignments.appKey,
        appName: apps.name,
        startsAt: roleAssignments.startsAt,
        endsAt: roleAssignments.endsAt,
        sortValue: sql<string>`lower(${users.name})`,
      })
      .from(roleAssignments)
      .innerJoin(users, eq(users.key, roleAssignments.userKey))
      .leftJoin(apps, eq(apps.key, roleAssignments.appKey))
      .where(and(eq(roleAssignments.roleKey, p.roleKey), keyset))
      .orderBy(...(backwards ? [desc(sortKey), desc(roleAssignments.key)] : [asc(sortKey), asc(roleAssignments.key)]))
      .limit(p.perPage + 1)
    const hasMore = fetched.length > p.perPage
    const page = fetched.slice(0, p.perPage)
    if (backwards) page.reverse()
    const [{ n }] = await tx.select({ n: count() }).from(roleAssignments).where(eq(roleAssignments.roleKey, p.roleKey))
    const now = nowOf(ctx)
    const first = page[0]
    const last = page[page.length - 1]
    const atStart = backwards ? !hasMore : !cursor
    const atEnd = backwards ? false : !hasMore
    return {
      rows: page.map((r) => ({
        grantKey: r.grantKey,
        userKey: r.userKey,
        name: r.name,
        email: r.email,
        status: r.status,
        scope: r.appKey ? { type: 'app' as const, appKey: r.appKey, appName: r.appName ?? '' } : { type: 'organization' as const },
        state: periodState(r, now),
        startsAt: r.startsAt,
        endsAt: r.endsAt,
      })),
      next: !atEnd && last ? encode([last.sortValue, last.grantKey]) : null,
      previous: !atStart && first ? encode([first.sortValue, first.grantKey]) : null,
      total: n,
    }
  })
}
