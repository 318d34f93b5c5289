import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { acceptInvitation } from '@/lib/users/accept-invitation'
import { inviteUser } from '@/lib/users/invite-user'
import { createApp, createAppRole, createGroup } from '@/test/access-factories'
import { createMember, invitationMailFor, PASSWORD, stageKeyOf } from '@/test/factories'
import { ADMIN, anonymous, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { invitationLanding } from './invitation-landing'

describe('where an accepted invitation lands (AUTH-5)', () => {
  useTestDatabase()
  let admin: () => Ctx
  let role: Awaited<ReturnType<typeof createAppRole>>
  let emptyGroup: string
  let prdGroup: string

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    const app = await createApp('Orders')
    role = await createAppRole(app.key, 'Approver')
    emptyGroup = await createGroup('No roles', 'DEV')
    prdGroup = await createGroup('Order desk', 'PRD', { instanceKeys: [role.instances.get('PRD')!] })
  })

  async function accepted(grants: { groupKeys?: string[]; instanceKeys?: string[] }) {
    const email = uniqueEmail('landing')
    await inviteUser(admin(), { email, ...grants })
    const { token, code } = await invitationMailFor(email)
    return (await acceptInvitation(anonymous(), { token, code, password: PASSWORD })).userKey
  }

  it('sends a member to the portal', async () => {
    const member = await createMember(admin())
    expect(await invitationLanding(anonymous(), member.userKey)).toEqual({ kind: 'portal' })
  })

  it('sends an end-user to the first stage, by position, where they hold a role directly or through a group', async () => {
    const viaGroup = await accepted({ groupKeys: [prdGroup, emptyGroup] })
    expect(await invitationLanding(anonymous(), viaGroup)).toEqual({ kind: 'stage', stage: { key: await stageKeyOf('PRD'), code: 'PRD' } })

    const both = await accepted({ groupKeys: [prdGroup], instanceKeys: [role.instances.get('QA')!] })
    expect(await invitationLanding(anonymous(), both)).toEqual({ kind: 'stage', stage: { key: await stageKeyOf('QA'), code: 'QA' } })
  })

  it('says the account is ready when the end-user holds no role yet', async () => {
    // A group that grants nothing gives no stage to go to.
    const userKey = await accepted({ groupKeys: [emptyGroup] })
    expect(await invitationLanding(anonymous(), userKey)).toEqual({ kind: 'ready' })
  })
})
