import { count, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { auditEvents, organizations, permissions, roleAssignments, roles, stages, users } from '@/db/schema'
import { permissionDefs } from '@/lib/authz/catalogue'
import { ConflictError, ValidationError } from '@/lib/errors'
import { ADMIN, anonymous, useTestDatabase } from '@/test/harness'
import { runSetup } from './run-setup'

describe('first-run setup', () => {
  const database = useTestDatabase()

  it('refuses bad input and changes nothing', async () => {
    await expect(runSetup(anonymous(), { ...ADMIN, password: 'short' })).rejects.toBeInstanceOf(ValidationError)
    await expect(runSetup(anonymous(), { ...ADMIN, email: 'not-an-email' })).rejects.toMatchObject({ fieldErrors: { email: expect.any(Array) } })
    await expect(runSetup(anonymous(), { ...ADMIN, extra: 1 })).rejects.toMatchObject({ fieldErrors: { form: [expect.stringMatching(/extra/)] } })
    await expect(runSetup(anonymous(), { ...ADMIN, password: 'Qwerty123456' })).rejects.toMatchObject({ fieldErrors: { password: [expect.stringMatching(/common/)] } })
    const [{ n }] = await database.current().db.select({ n: count() }).from(organizations)
    expect(n).toBe(0)
  })

  it('creates one organization when two setups race', async () => {
    const results = await Promise.allSettled([runSetup(anonymous(), ADMIN), runSetup(anonymous(), { ...ADMIN, email: 'other@acme.test' })])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(rejected.reason).toBeInstanceOf(ConflictError)
    const db = database.current().db
    expect((await db.select({ n: count() }).from(organizations))[0].n).toBe(1)
    expect((await db.select({ n: count() }).from(users))[0].n).toBe(1)
  })

  it('seeds stages, the registry with its fixed keys, the built-in roles and the administrator grant', async () => {
    const db = database.current().db
    expect((await db.select({ code: stages.code }).from(stages).orderBy(stages.position)).map((s) => s.code)).toEqual(['DEV', 'QA', 'PRD'])
    const keys = await db.select({ key: permissions.key, slug: permissions.slug }).from(permissions)
    expect(keys).toHaveLength(permissionDefs.length)
    expect(keys.find((k) => k.slug === 'users.manage')?.key).toBe(permissionDefs.find((p) => p.slug === 'users.manage')!.key)
    const builtIns = await db.select({ name: roles.name, isReadOnly: roles.isReadOnly }).from(roles).orderBy(roles.name)
    expect(builtIns).toEqual([
      { name: 'Administrator', isReadOnly: true },
      { name: 'Developer', isReadOnly: true },
    ])
    const [grant] = await db.select({ role: roles.name, appKey: roleAssignments.appKey }).from(roleAssignments).innerJoin(roles, eq(roles.key, roleAssignments.roleKey))
    expect(grant).toEqual({ role: 'Administrator', appKey: null })
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'organization.setup'))
    const [admin] = await db.select({ email: users.email }).from(users)
    expect(event.actorLabel).toBe(admin.email)
    expect(JSON.stringify(event.changes)).not.toContain(ADMIN.password)
  })

  it('cannot run a second time', async () => {
    await expect(runSetup(anonymous(), { ...ADMIN, email: 'third@acme.test' })).rejects.toThrow(/already set up/)
  })
})
