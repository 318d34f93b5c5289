import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sessions } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { deleteUser } from '@/lib/users/delete-user'
import { revokeAllUserSessions } from '@/lib/users/sessions'
import { activateUser, deactivateUser } from '@/lib/users/set-user-status'
import { auditRows, createMember, signIn } from '@/test/factories'
import { ADMIN, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { resolvePortalSession, revokeSessionByToken } from './sessions'
import { sha256 } from './tokens'

const HOUR = 3_600_000

describe('resolving a portal session on every request (AUTH-4, AUTHZ-5)', () => {
  const database = useTestDatabase()
  let admin: () => Ctx
  const db = () => database.current().db

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
  })

  it('resolves a live session to its user and a public handle, never storing the token', async () => {
    const member = await createMember(admin(), { name: 'Sam Session' })
    const { token } = await signIn(member.email, member.password)
    const live = await resolvePortalSession(db(), token, new Date())
    expect(live).toEqual({ idHash: sha256(token), userKey: member.userKey, name: 'Sam Session', email: member.email })
    const [row] = await db().select().from(sessions).where(eq(sessions.userKey, member.userKey))
    expect(JSON.stringify(row)).not.toContain(token)
    expect(await resolvePortalSession(db(), 'not-a-session-token', new Date())).toBeNull()
  })

  it('ends after 12 hours, whatever the activity', async () => {
    const member = await createMember(admin())
    const t0 = new Date()
    const { token } = await signIn(member.email, member.password, t0)
    expect(await resolvePortalSession(db(), token, new Date(t0.getTime() + 6 * HOUR))).not.toBeNull()
    expect(await resolvePortalSession(db(), token, new Date(t0.getTime() + 12 * HOUR - 1))).not.toBeNull()
    expect(await resolvePortalSession(db(), token, new Date(t0.getTime() + 12 * HOUR))).toBeNull()
    expect(await resolvePortalSession(db(), token, new Date(t0.getTime() + 13 * HOUR))).toBeNull()
  })

  it('remembers when the session was last seen, at most once a minute', async () => {
    const member = await createMember(admin())
    const t0 = new Date()
    const { token } = await signIn(member.email, member.password, t0)
    const lastSeen = async () => (await db().select().from(sessions).where(eq(sessions.idHash, sha256(token))))[0].lastSeenAt
    await resolvePortalSession(db(), token, new Date(t0.getTime() + 30_000))
    expect(await lastSeen()).toEqual(t0)
    const later = new Date(t0.getTime() + 5 * 60_000)
    await resolvePortalSession(db(), token, later)
    expect(await lastSeen()).toEqual(later)
  })

  it('is refused on the next request after the user is deactivated, and stays refused after reactivation', async () => {
    const member = await createMember(admin())
    const { token } = await signIn(member.email, member.password)
    await deactivateUser(admin(), { userKey: member.userKey })
    expect(await resolvePortalSession(db(), token, new Date())).toBeNull()
    await activateUser(admin(), { userKey: member.userKey })
    expect(await resolvePortalSession(db(), token, new Date())).toBeNull()
  })

  it('is refused even if a deactivation somehow left the session row live', async () => {
    const member = await createMember(admin())
    const { token } = await signIn(member.email, member.password)
    await deactivateUser(admin(), { userKey: member.userKey })
    await db().update(sessions).set({ revokedAt: null }).where(eq(sessions.idHash, sha256(token)))
    expect(await resolvePortalSession(db(), token, new Date())).toBeNull()
  })

  it('is refused after the user is deleted', async () => {
    const member = await createMember(admin())
    const { token } = await signIn(member.email, member.password)
    await deleteUser(admin(), { userKey: member.userKey })
    expect(await resolvePortalSession(db(), token, new Date())).toBeNull()
  })

  it('is refused after an administrator revokes all of the user’s sessions', async () => {
    const member = await createMember(admin())
    const a = await signIn(member.email, member.password)
    const b = await signIn(member.email, member.password)
    expect(await revokeAllUserSessions(admin(), { userKey: member.userKey })).toEqual({ sessionsEnded: 2 })
    expect(await resolvePortalSession(db(), a.token, new Date())).toBeNull()
    expect(await resolvePortalSession(db(), b.token, new Date())).toBeNull()
    const [event] = await auditRows('user.sessions_revoked', member.userKey)
    expect(event.changes).toMatchObject({ sessionsEnded: 2 })
  })

  it('is refused after signing out', async () => {
    const member = await createMember(admin())
    const { token } = await signIn(member.email, member.password)
    await revokeSessionByToken(db(), token, new Date())
    expect(await resolvePortalSession(db(), token, new Date())).toBeNull()
  })
})
