import { eq, inArray, sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, organizations, users } from '@/db/schema'
import type { Ctx } from '@/lib/context'
import { ForbiddenError, ValidationError } from '@/lib/errors'
import { auditRows, createMember, createRole, insertUsers, rowCounts, type Member } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { getSettings } from './get-settings'
import { updateInternalDomains } from './update-internal-domains'

async function classOf(keys: string[]): Promise<Record<string, boolean>> {
  const db = await getDb()
  const rows = await db.select({ key: users.key, email: users.email, isInternal: users.isInternal }).from(users).where(inArray(users.key, keys))
  return Object.fromEntries(rows.map((r) => [r.email ?? `(no email) ${r.key}`, r.isInternal]))
}

/** The dashboard's live counts (CLS-2), summed from their deltas. */
async function counts(): Promise<Record<string, number>> {
  const db = await getDb()
  const rows = (await db.execute<{ kind: string; n: number }>(sql`select kind, sum(delta)::int as n from user_count_deltas group by kind`)).rows
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]))
}

async function recount(): Promise<Record<string, number>> {
  const db = await getDb()
  const [r] = (
    await db.execute<{ internal: number; external: number }>(
      sql`select (count(*) filter (where is_end_user and is_internal))::int as internal, (count(*) filter (where is_end_user and not is_internal))::int as external from users`,
    )
  ).rows
  return { end_user_internal: r.internal, end_user_external: r.external }
}

describe('internal user domains (CLS-1)', () => {
  useTestDatabase()
  let admin: Ctx
  let viewer: Member
  let developer: Member
  let people: string[]

  beforeAll(async () => {
    ;({ admin } = await setupOrganization())
    developer = await createMember(admin)
    await createRole('Subscription viewer', [{ slug: 'subscription.view' }])
    viewer = await createMember(admin, { role: 'Subscription viewer' })
    people = await insertUsers([
      { name: 'Ines Inside', email: 'ines@acme.test', isEndUser: true },
      { name: 'Carl Caps', email: 'Carl@ACME.Test', isEndUser: true },
      { name: 'Paula Partner', email: 'paula@partner.test', isEndUser: true },
      { name: 'Sam Sub', email: 'sam@eu.acme.test', isEndUser: true },
      { name: 'Nora No-email', email: null, isEndUser: true },
    ])
  })

  it('counts everyone as internal while no domain is listed', async () => {
    expect(Object.values(await classOf(people))).toEqual([true, true, true, true, true])
  })

  it('reclassifies everyone at once: a listed domain (ignoring case) or no email is internal, anything else external', async () => {
    const result = await updateInternalDomains(admin, { domains: ['ACME.test', ' acme.test'] })
    expect(result).toMatchObject({ changed: true, domains: ['acme.test'], becameExternal: expect.any(Number), becameInternal: 0 })
    expect(await classOf(people)).toMatchObject({ 'ines@acme.test': true, 'Carl@ACME.Test': true, 'paula@partner.test': false, 'sam@eu.acme.test': false })
    expect(Object.entries(await classOf(people)).find(([k]) => k.startsWith('(no email)'))?.[1]).toBe(true)
    // Members count too: the rule is about the email address, not the role (the Developer is on example.test).
    const [event] = await auditRows('organization.internal_domains_changed')
    expect(event.changes).toEqual({
      before: { internalDomains: [] },
      after: { internalDomains: ['acme.test'] },
      usersReclassified: result.usersReclassified,
      becameInternal: 0,
      becameExternal: result.becameExternal,
    })
    expect(result.usersReclassified).toBeGreaterThanOrEqual(2)
    // The live counts follow the reclassification through their triggers.
    expect(await counts()).toMatchObject(await recount())
  })

  it('classifies new users and changed emails by the new list (the trigger reads the same setting)', async () => {
    const [fresh] = await insertUsers([{ name: 'Fresh', email: 'fresh@partner.test', isEndUser: true }])
    expect(await classOf([fresh])).toEqual({ 'fresh@partner.test': false })
    const db = await getDb()
    await db.update(users).set({ email: 'fresh@acme.test' }).where(eq(users.key, fresh))
    expect(await classOf([fresh])).toEqual({ 'fresh@acme.test': true })
  })

  it('adds a domain: only those whose class changes are touched and counted', async () => {
    const result = await updateInternalDomains(admin, { domains: 'acme.test, partner.test' })
    expect(result).toMatchObject({ changed: true, domains: ['acme.test', 'partner.test'], becameInternal: 1, becameExternal: 0, usersReclassified: 1 })
    expect(await classOf(people)).toMatchObject({ 'paula@partner.test': true, 'sam@eu.acme.test': false })
    expect(await counts()).toMatchObject(await recount())
  })

  it('makes everyone internal again when the list is emptied', async () => {
    await updateInternalDomains(admin, { domains: [] })
    expect(Object.values(await classOf(people)).every(Boolean)).toBe(true)
    const db = await getDb()
    const [{ external }] = (await db.execute<{ external: number }>(sql`select count(*)::int as external from users where not is_internal`)).rows
    expect(external).toBe(0)
    expect(await counts()).toMatchObject(await recount())
    // Saving the same (empty) list again changes nothing and records nothing.
    const before = (await auditRows('organization.internal_domains_changed')).length
    expect(await updateInternalDomains(admin, { domains: '' })).toMatchObject({ changed: false, usersReclassified: 0 })
    expect(await auditRows('organization.internal_domains_changed')).toHaveLength(before)
  })

  it('lets View subscription see the list but not change it; refuses bad domains and others, changing nothing', async () => {
    expect((await getSettings(viewer.ctx())).internalDomains).toEqual([])
    const before = { counts: await rowCounts({ organizations, audit: auditEvents }), classes: await classOf(people) }
    await expect(updateInternalDomains(viewer.ctx(), { domains: ['acme.test'] })).rejects.toBeInstanceOf(ForbiddenError)
    await expect(updateInternalDomains(developer.ctx(), { domains: ['acme.test'] })).rejects.toBeInstanceOf(ForbiddenError)
    for (const domains of [['acme'], ['not a domain'], ['acme.test', '*.acme.test'], ['http://acme.test'], Array.from({ length: 51 }, (_, i) => `x${i}.test`)]) {
      const error = await updateInternalDomains(admin, { domains }).catch((e) => e)
      expect(error, String(domains)).toBeInstanceOf(ValidationError)
      expect(error.fieldErrors.domains, String(domains)).toBeDefined()
    }
    await expect(updateInternalDomains(admin, { domains: ['acme.test'], extra: true })).rejects.toBeInstanceOf(ValidationError)
    expect({ counts: await rowCounts({ organizations, audit: auditEvents }), classes: await classOf(people) }).toEqual(before)
  })
})
