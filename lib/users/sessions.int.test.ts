import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { userCredentials } from '@/db/schema'
import { resolvePortalSession } from '@/lib/auth/sessions'
import { InvalidCredentialsError, signInWithPassword } from '@/lib/auth/sign-in'
import { sha256 } from '@/lib/auth/tokens'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { auditRows, createMember, signIn } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { listMySessions, revokeAllUserSessions, revokeMyOtherSessions, revokeMySession, unlockUser } from './sessions'

describe('sessions of a member (AUTH-4, UI-12)', () => {
  const database = useTestDatabase()
  let admin: () => Ctx
  const db = () => database.current().db

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
  })

  it('lists my live sessions, newest first, marking the current one and never exposing the token', async () => {
    const member = await createMember(admin())
    const older = await signIn(member.email, member.password, new Date(Date.now() - 60_000))
    const current = await signIn(member.email, member.password)
    const other = await createMember(admin())
    await signIn(other.email, other.password)

    const list = await listMySessions(current.ctx())
    expect(list.map((s) => [s.id, s.current])).toEqual([
      [sha256(current.token), true],
      [sha256(older.token), false],
    ])
    expect(list[0]).toMatchObject({ ip: '127.0.0.1', userAgent: 'vitest' })
    expect(JSON.stringify(list)).not.toContain(current.token)
    expect(JSON.stringify(list)).not.toContain(older.token)
    await expect(listMySessions(anonymous())).rejects.toBeInstanceOf(UnauthenticatedError)
  })

  it('revokes one of my sessions', async () => {
    const member = await createMember(admin())
    const other = await signIn(member.email, member.password)
    const current = await signIn(member.email, member.password)
    await revokeMySession(current.ctx(), { id: sha256(other.token) })
    expect(await resolvePortalSession(db(), other.token, new Date())).toBeNull()
    expect(await resolvePortalSession(db(), current.token, new Date())).not.toBeNull()
    expect((await listMySessions(current.ctx())).map((s) => s.id)).toEqual([sha256(current.token)])
    const [event] = await auditRows('session.revoked', member.userKey)
    expect(event).toMatchObject({ actorKey: member.userKey, changes: { own: true, current: false } })

    // Revoking the current one signs this browser out.
    await revokeMySession(current.ctx(), { id: sha256(current.token) })
    expect(await resolvePortalSession(db(), current.token, new Date())).toBeNull()
    expect((await auditRows('session.revoked', member.userKey))[1].changes).toMatchObject({ current: true })
  })

  it("cannot revoke someone else's session, an already revoked one, or a malformed id", async () => {
    const member = await createMember(admin())
    const victim = await createMember(admin())
    const mine = await signIn(member.email, member.password)
    const theirs = await signIn(victim.email, victim.password)
    await expect(revokeMySession(mine.ctx(), { id: sha256(theirs.token) })).rejects.toBeInstanceOf(NotFoundError)
    expect(await resolvePortalSession(db(), theirs.token, new Date())).not.toBeNull()
    await revokeMySession(theirs.ctx(), { id: sha256(theirs.token) })
    await expect(revokeMySession(theirs.ctx(), { id: sha256(theirs.token) })).rejects.toBeInstanceOf(NotFoundError)
    await expect(revokeMySession(mine.ctx(), { id: 'x' })).rejects.toBeInstanceOf(ValidationError)
    await expect(revokeMySession(mine.ctx(), { id: sha256(mine.token), extra: true })).rejects.toBeInstanceOf(ValidationError)
    expect(await auditRows('session.revoked', member.userKey)).toEqual([])
    expect(await auditRows('session.revoked', victim.userKey)).toHaveLength(1)
  })

  it('signs out everywhere else, keeping the current session', async () => {
    const member = await createMember(admin())
    const others = [await signIn(member.email, member.password), await signIn(member.email, member.password)]
    const current = await signIn(member.email, member.password)
    expect(await revokeMyOtherSessions(current.ctx())).toEqual({ sessionsEnded: 2 })
    for (const s of others) expect(await resolvePortalSession(db(), s.token, new Date())).toBeNull()
    expect(await resolvePortalSession(db(), current.token, new Date())).not.toBeNull()
    const [event] = await auditRows('session.revoked_others', member.userKey)
    expect(event.changes).toMatchObject({ sessionsEnded: 2 })
    // Without a current session (not signed in through the portal) there is nothing to keep.
    await expect(revokeMyOtherSessions(member.ctx())).rejects.toBeInstanceOf(UnauthenticatedError)
    expect(await auditRows('session.revoked_others', member.userKey)).toHaveLength(1)
  })

  it('lets only holders of users.manage revoke all sessions of another user', async () => {
    const dev = await createMember(admin())
    const target = await createMember(admin())
    const { token } = await signIn(target.email, target.password)
    await expect(revokeAllUserSessions(dev.ctx(), { userKey: target.userKey })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(revokeAllUserSessions(admin(), { userKey: randomUUID() })).rejects.toBeInstanceOf(NotFoundError)
    expect(await resolvePortalSession(db(), token, new Date())).not.toBeNull()
    expect(await auditRows('user.sessions_revoked', target.userKey)).toEqual([])
    expect(await revokeAllUserSessions(admin(), { userKey: target.userKey })).toEqual({ sessionsEnded: 1 })
    expect(await resolvePortalSession(db(), token, new Date())).toBeNull()
    expect(await auditRows('user.sessions_revoked', target.userKey)).toHaveLength(1)
  })

  it('lets an administrator clear a lockout', async () => {
    const member = await createMember(admin())
    const now = new Date()
    for (let i = 0; i < 6; i++)
      await expect(signInWithPassword({ actor: null, now: () => now }, { email: member.email, password: 'Wrong-Password-1' })).rejects.toBeInstanceOf(InvalidCredentialsError)
    const dev = await createMember(admin())
    await expect(unlockUser(dev.ctx(), { userKey: member.userKey })).rejects.toBeInstanceOf(ForbiddenError)
    expect(await auditRows('user.unlocked', member.userKey)).toEqual([])
    expect((await db().select().from(userCredentials).where(eq(userCredentials.userKey, member.userKey)))[0].failedAttempts).toBe(6)

    expect(await unlockUser({ ...admin(), now: () => now }, { userKey: member.userKey })).toEqual({ wasLocked: true })
    const [credential] = await db().select().from(userCredentials).where(eq(userCredentials.userKey, member.userKey))
    expect(credential).toMatchObject({ failedAttempts: 0, lockedUntil: null })
    const [event] = await auditRows('user.unlocked', member.userKey)
    expect(event.changes).toMatchObject({ before: { failedAttempts: 6 }, after: { failedAttempts: 0 } })
    await signInWithPassword({ actor: null, now: () => now }, { email: member.email, password: member.password })
    expect(await unlockUser(admin(), { userKey: member.userKey })).toEqual({ wasLocked: false })
  })
})
