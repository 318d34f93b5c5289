import { randomUUID } from 'node:crypto'
import { count, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { invitations, roleAssignments, sessions, userCredentials, users } from '@/db/schema'
import { resolvePortalSession } from '@/lib/auth/sessions'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '@/lib/errors'
import { getMyAccess } from '@/lib/access/explain-access'
import { auditRows, createMember, createRole, roleKeyOf, signIn, type Member } from '@/test/factories'
import { ADMIN, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { deleteUser } from './delete-user'
import { inviteMember } from './invite-member'

describe('deleting a user (AUTH-8, AUTHZ-6)', () => {
  const database = useTestDatabase()
  let adminKey: string
  let admin: () => Ctx
  let manager: Member

  beforeAll(async () => {
    const org = await setupOrganization()
    adminKey = org.userKey
    admin = () => asUser(org.userKey, ADMIN.email)
    await createRole('User manager', [{ slug: 'users.manage' }])
    manager = await createMember(admin(), { role: 'User manager' })
  })

  const rowsOf = async (userKey: string) => {
    const db = database.current().db
    const n = async (q: Promise<Array<{ n: number }>>) => (await q)[0].n
    return {
      users: await n(db.select({ n: count() }).from(users).where(eq(users.key, userKey))),
      grants: await n(db.select({ n: count() }).from(roleAssignments).where(eq(roleAssignments.userKey, userKey))),
      sessions: await n(db.select({ n: count() }).from(sessions).where(eq(sessions.userKey, userKey))),
      credentials: await n(db.select({ n: count() }).from(userCredentials).where(eq(userCredentials.userKey, userKey))),
      invitations: await n(db.select({ n: count() }).from(invitations).where(eq(invitations.userKey, userKey))),
    }
  }

  it('removes the user with their grants, sessions, credential and invitation; the audit trail keeps who they were', async () => {
    const dev = await createMember(admin(), { name: 'Doomed Dev' })
    const { token } = await signIn(dev.email, dev.password)
    expect(await rowsOf(dev.userKey)).toEqual({ users: 1, grants: 1, sessions: 1, credentials: 1, invitations: 1 })

    await deleteUser(admin(), { userKey: dev.userKey })

    expect(await rowsOf(dev.userKey)).toEqual({ users: 0, grants: 0, sessions: 0, credentials: 0, invitations: 0 })
    expect(await resolvePortalSession(database.current().db, token, new Date())).toBeNull()
    await expect(getMyAccess(dev.ctx())).rejects.toBeInstanceOf(UnauthenticatedError)
    const [event] = await auditRows('user.deleted', dev.userKey)
    expect(event).toMatchObject({
      actorKey: adminKey,
      targetLabel: dev.email,
      changes: { before: { name: 'Doomed Dev', email: dev.email, status: 'Active' }, grantsRemoved: 1, sessionsEnded: 1 },
    })
  })

  it('deletes an unaccepted invitation, which then cannot be accepted', async () => {
    const email = uniqueEmail('never')
    const { userKey } = await inviteMember(admin(), { email, roleKey: await roleKeyOf('Developer') })
    await deleteUser(admin(), { userKey })
    expect(await rowsOf(userKey)).toEqual({ users: 0, grants: 0, sessions: 0, credentials: 0, invitations: 0 })
    expect(await auditRows('user.deleted', userKey)).toHaveLength(1)
  })

  it('refuses deleting yourself', async () => {
    await expect(deleteUser(admin(), { userKey: adminKey })).rejects.toThrow(/cannot delete yourself/)
    expect((await rowsOf(adminKey)).users).toBe(1)
    expect(await auditRows('user.deleted', adminKey)).toEqual([])
  })

  it('refuses a member without users.manage, and an unknown user', async () => {
    const dev = await createMember(admin())
    const target = await createMember(admin())
    await expect(deleteUser(dev.ctx(), { userKey: target.userKey })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(deleteUser(admin(), { userKey: randomUUID() })).rejects.toBeInstanceOf(NotFoundError)
    expect(await rowsOf(target.userKey)).toMatchObject({ users: 1, grants: 1 })
    expect(await auditRows('user.deleted', target.userKey)).toEqual([])
  })

  it('refuses deleting the last active administrator, and allows it once there is another', async () => {
    const error = await deleteUser(manager.ctx(), { userKey: adminKey }).catch((e) => e)
    expect(error).toBeInstanceOf(ForbiddenError)
    expect(error.message).toMatch(/last active administrator/)
    expect(await rowsOf(adminKey)).toMatchObject({ users: 1, grants: 1 })

    // Runs last in this file: it deletes the first administrator.
    const second = await createMember(admin(), { role: 'Administrator' })
    await deleteUser(manager.ctx(), { userKey: adminKey })
    expect(await rowsOf(adminKey)).toMatchObject({ users: 0, grants: 0 })
    expect(await auditRows('user.deleted', adminKey)).toHaveLength(1)
    await expect(deleteUser(manager.ctx(), { userKey: second.userKey })).rejects.toThrow(/last active administrator/)
    expect(await rowsOf(second.userKey)).toMatchObject({ users: 1, grants: 1 })
  })
})
