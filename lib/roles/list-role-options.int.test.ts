import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, UnauthenticatedError } from '@/lib/errors'
import { createMember, createRole, roleKeyOf } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, useTestDatabase } from '@/test/harness'
import { listRoleOptions } from './list-role-options'

describe('organization roles to choose from', () => {
  let admin: () => Ctx
  useTestDatabase()

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    await createRole('Support desk', [{ slug: 'users.manage_member_access' }])
    await createRole('Auditor', [{ slug: 'org.view_audit' }])
  })

  it('lists the built-in roles first, then custom roles by name', async () => {
    expect(await listRoleOptions(admin())).toEqual([
      { key: await roleKeyOf('Administrator'), name: 'Administrator', isReadOnly: true },
      { key: await roleKeyOf('Developer'), name: 'Developer', isReadOnly: true },
      { key: await roleKeyOf('Auditor'), name: 'Auditor', isReadOnly: false },
      { key: await roleKeyOf('Support desk'), name: 'Support desk', isReadOnly: false },
    ])
  })

  it('is open to whoever may manage member access, and to nobody else', async () => {
    const desk = await createMember(admin(), { role: 'Support desk' })
    expect((await listRoleOptions(desk.ctx())).map((r) => r.name)).toContain('Administrator')
    const developer = await createMember(admin(), { role: 'Developer' })
    await expect(listRoleOptions(developer.ctx())).rejects.toBeInstanceOf(ForbiddenError)
    await expect(listRoleOptions(anonymous())).rejects.toBeInstanceOf(UnauthenticatedError)
  })
})
