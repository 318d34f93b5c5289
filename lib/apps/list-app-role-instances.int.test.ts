import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { appScopedMember, createApp as insertApp, createAppRole as insertAppRole } from '@/test/access-factories'
import { createMember, createRole, stageKeyOf, type Member } from '@/test/factories'
import { anonymous, setupOrganization, useTestDatabase } from '@/test/harness'
import { listAppRoleInstances } from './list-app-role-instances'

describe('listing application role instances for access grids', () => {
  useTestDatabase()
  let admin: Ctx
  let developer: Member
  let alpha: Awaited<ReturnType<typeof insertApp>>
  let beta: Awaited<ReturnType<typeof insertApp>>
  let reader: Awaited<ReturnType<typeof insertAppRole>>
  let dev: string
  let qa: string

  beforeAll(async () => {
    admin = (await setupOrganization()).admin
    developer = await createMember(admin)
    alpha = await insertApp('Alpha')
    beta = await insertApp('Beta', ['DEV', 'QA'])
    reader = await insertAppRole(alpha.key, 'Reader')
    await insertAppRole(alpha.key, 'admin')
    await insertAppRole(beta.key, 'Member')
    dev = await stageKeyOf('DEV')
    qa = await stageKeyOf('QA')
  })

  it('returns every app with its instances, by app name, role name and stage order', async () => {
    const result = await listAppRoleInstances(admin, {})
    expect(result.map((a) => a.appName)).toEqual(['Alpha', 'Beta'])
    expect(result[0].stages.map((s) => s.code)).toEqual(['DEV', 'QA', 'PRD'])
    expect(result[0].instances.map((i) => `${i.roleName}@${i.stageCode}`)).toEqual(['admin@DEV', 'admin@QA', 'admin@PRD', 'Reader@DEV', 'Reader@QA', 'Reader@PRD'])
    expect(result[0].instances.find((i) => i.roleName === 'Reader' && i.stageCode === 'QA')).toEqual({
      instanceKey: reader.instances.get('QA'),
      appKey: alpha.key,
      appName: 'Alpha',
      roleKey: reader.key,
      roleName: 'Reader',
      stageKey: qa,
      stageCode: 'QA',
    })
    expect(result[1].stages.map((s) => s.code)).toEqual(['DEV', 'QA'])
  })

  it('filters by app and by stage', async () => {
    const result = await listAppRoleInstances(admin, { appKey: beta.key, stageKey: qa })
    expect(result).toHaveLength(1)
    expect(result[0].instances.map((i) => `${i.appName}/${i.roleName}@${i.stageCode}`)).toEqual(['Beta/Member@QA'])
  })

  it('lets asset.open see all stages and a stage-limited endusers.view see only its stages', async () => {
    // The Developer holds asset.open everywhere.
    expect((await listAppRoleInstances(developer.ctx(), {})).flatMap((a) => a.instances)).toHaveLength(8)
    await createRole('QA viewer', [{ slug: 'endusers.view', stages: ['QA'] }])
    const qaViewer = await createMember(admin, { role: 'QA viewer' })
    const seen = await listAppRoleInstances(qaViewer.ctx(), {})
    expect(seen.flatMap((a) => a.instances).every((i) => i.stageKey === qa)).toBe(true)
    expect(seen.flatMap((a) => a.instances)).toHaveLength(3)
    expect(await listAppRoleInstances(qaViewer.ctx(), { stageKey: dev })).toEqual([])
  })

  it('lets app-scope asset.open see only that app', async () => {
    const scoped = await appScopedMember(admin, beta.key, ['asset.open'])
    const result = await listAppRoleInstances(scoped.ctx(), {})
    expect(result.map((a) => a.appName)).toEqual(['Beta'])
    expect(await listAppRoleInstances(scoped.ctx(), { appKey: alpha.key })).toEqual([])
  })

  it('refuses members with neither permission, signed-out callers and bad input', async () => {
    await createRole('Auditor only', [{ slug: 'org.view_audit' }])
    const auditor = await createMember(admin, { role: 'Auditor only' })
    await expect(listAppRoleInstances(auditor.ctx(), {})).rejects.toBeInstanceOf(ForbiddenError)
    await expect(listAppRoleInstances(anonymous(), {})).rejects.toBeInstanceOf(UnauthenticatedError)
    await expect(listAppRoleInstances(admin, { stageKey: 'QA' })).rejects.toBeInstanceOf(ValidationError)
  })
})
