import { beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, ValidationError } from '@/lib/errors'
import { inviteMember } from '@/lib/users/invite-member'
import { resendInvitation } from '@/lib/users/resend-invitation'
import { createMember, createRole, roleKeyOf, signIn, type Member } from '@/test/factories'
import { ADMIN, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { listAuditActions, listAuditEvents } from './list-audit-events'

const JAN = (day: number, hour = 12) => new Date(Date.UTC(2020, 0, day, hour))

describe('the audit trail (UI-11, AUD-1)', () => {
  let admin: (now?: Date) => Ctx
  let auditor: Member
  let developer: Member
  const invited: string[] = []
  useTestDatabase()

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = (now) => ({ ...asUser(org.userKey, ADMIN.email), ...(now ? { now: () => now } : {}) })
    const developerRole = await roleKeyOf('Developer')
    // Three changes on three days in January 2020, all by the administrator.
    for (const day of [1, 2, 3]) {
      const email = uniqueEmail(`jan${day}`)
      invited.push((await inviteMember(admin(JAN(day)), { email, roleKey: developerRole })).userKey)
    }
    await resendInvitation(admin(JAN(2, 18)), { userKey: invited[0] })
    await createRole('Auditor', [{ slug: 'org.view_audit' }])
    auditor = await createMember(admin(), { role: 'Auditor', email: uniqueEmail('auditor') })
    developer = await createMember(admin())
    for (let i = 0; i < 3; i++) await signIn(developer.email, developer.password)
  })

  it('lists events newest first, to any holder of org.view_audit', async () => {
    const { rows } = await listAuditEvents(auditor.ctx(), {})
    expect(rows.length).toBeGreaterThanOrEqual(8)
    const ids = rows.map((r) => r.id)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    expect(rows.at(-1)!.action).toBe('organization.setup')
  })

  it('refuses members without org.view_audit, and says why', async () => {
    const error = await listAuditEvents(developer.ctx(), {}).catch((e) => e)
    expect(error).toBeInstanceOf(ForbiddenError)
    expect(error.message).toContain('org.view_audit')
    expect(error.reason).toContain('View audit trail')
    await expect(listAuditActions(developer.ctx())).rejects.toBeInstanceOf(ForbiddenError)
  })

  it('filters by actor, case-insensitively and literally', async () => {
    const byAuditor = await listAuditEvents(auditor.ctx(), { actor: auditor.email.toUpperCase() })
    expect(byAuditor.rows.map((r) => r.action).sort()).toEqual(['member.invitation_accepted'])
    expect(byAuditor.rows.every((r) => r.actorKey === auditor.userKey)).toBe(true)
    const byAdmin = await listAuditEvents(auditor.ctx(), { actor: 'ada@' })
    expect(byAdmin.rows.length).toBeGreaterThanOrEqual(7)
    expect(byAdmin.rows.every((r) => r.actorLabel === ADMIN.email)).toBe(true)
    expect((await listAuditEvents(auditor.ctx(), { actor: '%' })).rows).toEqual([])
    expect((await listAuditEvents(auditor.ctx(), { actor: 'a_a@' })).rows).toEqual([])
  })

  it('filters by exact action, or by a family of actions ending with a dot', async () => {
    const exact = await listAuditEvents(auditor.ctx(), { action: 'member.invitation_resent' })
    expect(exact.rows).toEqual([expect.objectContaining({ targetKey: invited[0], actorLabel: ADMIN.email })])
    const family = await listAuditEvents(auditor.ctx(), { action: 'member.' })
    expect(new Set(family.rows.map((r) => r.action))).toEqual(new Set(['member.invited', 'member.invitation_resent', 'member.invitation_accepted']))
    expect((await listAuditEvents(auditor.ctx(), { action: 'member' })).rows).toEqual([])
  })

  it('filters by time, both ends inclusive', async () => {
    const day2 = await listAuditEvents(auditor.ctx(), { from: JAN(2, 0).toISOString(), to: JAN(2, 23).toISOString() })
    expect(day2.rows.map((r) => [r.action, r.occurredAt])).toEqual([
      ['member.invitation_resent', JAN(2, 18)],
      ['member.invited', JAN(2)],
    ])
    const fromDay2 = await listAuditEvents(auditor.ctx(), { from: JAN(2).toISOString(), to: JAN(3).toISOString(), action: 'member.invited' })
    expect(fromDay2.rows.map((r) => r.targetKey)).toEqual([invited[2], invited[1]])
    const combined = await listAuditEvents(auditor.ctx(), { actor: 'ada', action: 'member.invited', to: JAN(1, 23).toISOString() })
    expect(combined.rows.map((r) => r.targetKey)).toEqual([invited[0]])
    await expect(listAuditEvents(auditor.ctx(), { from: 'last tuesday' })).rejects.toMatchObject({ fieldErrors: { from: ['Enter a valid date and time.'] } })
    await expect(listAuditEvents(auditor.ctx(), { to: 'soon' })).rejects.toBeInstanceOf(ValidationError)
  })

  it('pages by id without duplicates or gaps', async () => {
    const all = (await listAuditEvents(auditor.ctx(), { perPage: 100 })).rows.map((r) => r.id)
    const seen: number[] = []
    let page = await listAuditEvents(auditor.ctx(), { perPage: 10 })
    seen.push(...page.rows.map((r) => r.id))
    while (page.next) {
      page = await listAuditEvents(auditor.ctx(), { perPage: 10, before: page.next })
      seen.push(...page.rows.map((r) => r.id))
    }
    expect(all.length).toBeGreaterThan(10)
    expect(seen).toEqual(all)
  })

  it('lists the distinct action names for the filter menu', async () => {
    const actions = await listAuditActions(auditor.ctx())
    expect(actions).toEqual([...actions].sort())
    expect(actions).toEqual(expect.arrayContaining(['auth.signed_in', 'member.invitation_accepted', 'member.invitation_resent', 'member.invited', 'organization.setup']))
    expect(new Set(actions).size).toBe(actions.length)
  })
})
