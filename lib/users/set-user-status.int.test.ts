import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { roleAssignments } from '@/db/schema'
import { resolvePortalSession } from '@/lib/auth/sessions'
import { InvalidCredentialsError, signInWithPassword } from '@/lib/auth/sign-in'
import type { Ctx } from '@/lib/context'
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '@/lib/errors'
import { getMyAccess } from '@/lib/access/explain-access'
import { auditRows, createMember, createRole, roleKeyOf, signIn, userRow, type Member } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { inviteMember } from './invite-member'
import { activateUser, deactivateUser } from './set-user-status'

describe('deactivating and activating users (AUTH-8, AUTHZ-5, AUTHZ-6)', () => {
  const database = useTestDatabase()
  let adminKey: string
  let admin: () => Ctx
  let manager: Member

  beforeAll(async () => {
    const org = await setupOrganization()
    adminKey = org.userKey
    admin = () => asUser(org.userKey, ADMIN.email)
    // Holds users.manage without being an Administrator: the only kind of actor that can reach the last-administrator rule.
    await createRole('User manager', [{ slug: 'users.manage' }, { slug: 'users.manage_member_access' }])
    manager = await createMember(admin(), { role: 'User manager' })
  })

  it('deactivates a member, ends their sessions at once and keeps their data', async () => {
    const db = database.current().db
    const dev = await createMember(admin())
    const first = await signIn(dev.email, dev.password)
    const second = await signIn(dev.email, dev.password)
    const before = await db.select().from(roleAssignments).where(eq(roleAssignments.userKey, dev.userKey))

    expect(await deactivateUser(admin(), { userKey: dev.userKey })).toEqual({ sessionsEnded: 2 })

    expect((await userRow(dev.userKey)).status).toBe('Inactive')
    expect(await db.select().from(roleAssignments).where(eq(roleAssignments.userKey, dev.userKey))).toEqual(before)
    // The very next request of the deactivated user is refused, by the session and by the domain layer.
    expect(await resolvePortalSession(db, first.token, new Date())).toBeNull()
    expect(await resolvePortalSession(db, second.token, new Date())).toBeNull()
    await expect(getMyAccess(dev.ctx())).rejects.toBeInstanceOf(UnauthenticatedError)
    await expect(signInWithPassword(anonymous(), { email: dev.email, password: dev.password })).rejects.toBeInstanceOf(InvalidCredentialsError)

    const [event] = await auditRows('user.deactivated', dev.userKey)
    expect(event).toMatchObject({ actorKey: adminKey, targetLabel: dev.email, changes: { before: { status: 'Active' }, after: { status: 'Inactive' }, sessionsEnded: 2 } })
  })

  it('activates an inactive user, who can then sign in again', async () => {
    const dev = await createMember(admin())
    await deactivateUser(admin(), { userKey: dev.userKey })
    await activateUser(admin(), { userKey: dev.userKey })
    expect((await userRow(dev.userKey)).status).toBe('Active')
    const [event] = await auditRows('user.activated', dev.userKey)
    expect(event).toMatchObject({ actorKey: adminKey, changes: { before: { status: 'Inactive' }, after: { status: 'Active' } } })
    const { token } = await signIn(dev.email, dev.password)
    expect(await resolvePortalSession(database.current().db, token, new Date())).toMatchObject({ userKey: dev.userKey })
  })

  it('refuses transitions that make no sense, and changes nothing', async () => {
    const dev = await createMember(admin())
    const email = uniqueEmail('invited')
    const { userKey: invited } = await inviteMember(admin(), { email, roleKey: await roleKeyOf('Developer') })
    await expect(activateUser(admin(), { userKey: dev.userKey })).rejects.toThrow(/already active/)
    await expect(deactivateUser(admin(), { userKey: invited })).rejects.toBeInstanceOf(ConflictError)
    await expect(activateUser(admin(), { userKey: invited })).rejects.toBeInstanceOf(ConflictError)
    await deactivateUser(admin(), { userKey: dev.userKey })
    await expect(deactivateUser(admin(), { userKey: dev.userKey })).rejects.toThrow(/already inactive/)
    await expect(deactivateUser(admin(), { userKey: randomUUID() })).rejects.toBeInstanceOf(NotFoundError)
    expect((await userRow(invited)).status).toBe('Invited')
    expect(await auditRows('user.deactivated', dev.userKey)).toHaveLength(1)
    expect(await auditRows('user.activated', dev.userKey)).toHaveLength(0)
    expect(await auditRows('user.deactivated', invited)).toHaveLength(0)
  })

  it('refuses deactivating yourself', async () => {
    const error = await deactivateUser(admin(), { userKey: adminKey }).catch((e) => e)
    expect(error).toBeInstanceOf(ForbiddenError)
    expect(error.message).toMatch(/yourself/)
    expect((await userRow(adminKey)).status).toBe('Active')
    expect(await auditRows('user.deactivated', adminKey)).toEqual([])
  })

  it('refuses members without users.manage', async () => {
    const dev = await createMember(admin())
    const target = await createMember(admin())
    await expect(deactivateUser(dev.ctx(), { userKey: target.userKey })).rejects.toBeInstanceOf(ForbiddenError)
    await deactivateUser(admin(), { userKey: target.userKey })
    await expect(activateUser(dev.ctx(), { userKey: target.userKey })).rejects.toBeInstanceOf(ForbiddenError)
    expect((await userRow(target.userKey)).status).toBe('Inactive')
    expect(await auditRows('user.activated', target.userKey)).toEqual([])
  })

  it('refuses deactivating the last active administrator, and allows it once there is another', async () => {
    const error = await deactivateUser(manager.ctx(), { userKey: adminKey }).catch((e) => e)
    expect(error).toBeInstanceOf(ForbiddenError)
    expect(error.message).toMatch(/last active administrator/)
    expect((await userRow(adminKey)).status).toBe('Active')
    expect(await auditRows('user.deactivated', adminKey)).toEqual([])

    const second = await createMember(admin(), { role: 'Administrator' })
    await deactivateUser(manager.ctx(), { userKey: adminKey })
    expect((await userRow(adminKey)).status).toBe('Inactive')
    expect(await auditRows('user.deactivated', adminKey)).toHaveLength(1)
    // Now the second administrator is the last active one.
    await expect(deactivateUser(manager.ctx(), { userKey: second.userKey })).rejects.toThrow(/last active administrator/)
    await activateUser(second.ctx(), { userKey: adminKey })
    expect((await userRow(adminKey)).status).toBe('Active')
    await deactivateUser(admin(), { userKey: second.userKey })
    expect((await userRow(second.userKey)).status).toBe('Inactive')
  })

  it('does not count an inactive administrator as another administrator', async () => {
    const other = await createMember(admin(), { role: 'Administrator' })
    await deactivateUser(admin(), { userKey: other.userKey })
    await expect(deactivateUser(manager.ctx(), { userKey: adminKey })).rejects.toThrow(/last active administrator/)
    expect((await userRow(adminKey)).status).toBe('Active')
  })
})
