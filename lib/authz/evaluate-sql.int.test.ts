// Property test (perf-plan B1's correctness gate): the in-process evaluator and the SQL join the
// access benchmark uses as its baseline (bench/lib/sql-check.ts) give the same answer for random
// roles, stage limits, app scopes and grant periods, before and after random grant changes.
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { sqlChecker } from '@/bench/lib/sql-check'
import { getDb } from '@/db/client'
import { roleAssignments, rolePermissions, roles, users } from '@/db/schema'
import { createApp } from '@/test/access-factories'
import { insertUsers } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { permissionDefs } from './catalogue'
import { check, type Decision } from './evaluate'
import { loadCatalogue, loadUserPrincipal } from './load'
import type { Catalogue } from './model'

/** mulberry32: a small seeded PRNG, so a failure reproduces from its seed. */
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]
  const chance = (p: number) => next() < p
  const subset = <T,>(xs: readonly T[], min = 1): T[] => {
    const out = xs.filter(() => chance(0.5))
    while (out.length < min) {
      const x = pick(xs)
      if (!out.includes(x)) out.push(x)
    }
    return out
  }
  return { next, int, pick, chance, subset }
}

const SEED = Number(process.env.AUTHZ_PROPERTY_SEED ?? 20261128)
const USERS = 240
const CHECKS_PER_USER = 16
const DAY = 86_400_000

type Case = { userKey: string; slug: string; appKey: string | null; stageKey: string | null }

describe('the evaluator and the SQL join agree (perf-plan B1 correctness gate)', () => {
  const database = useTestDatabase()
  const rnd = prng(SEED)
  const now = new Date(Date.UTC(2030, 5, 15, 12))
  let catalogue: Catalogue
  let stageKeys: string[]
  let appKeys: string[]
  let roleKeys: string[]
  let userKeys: string[]
  const sql = () => sqlChecker(catalogue, { name: 'authz_check_property' })

  // A grant period relative to `now`: open, active window, scheduled, expired, or a boundary.
  const period = (): { startsAt: Date | null; endsAt: Date | null } => {
    const r = rnd.int(10)
    if (r < 5) return { startsAt: null, endsAt: null }
    if (r === 5) return { startsAt: new Date(now.getTime() - DAY), endsAt: new Date(now.getTime() + DAY) }
    if (r === 6) return { startsAt: new Date(now.getTime() + DAY), endsAt: null }
    if (r === 7) return { startsAt: null, endsAt: new Date(now.getTime() - DAY) }
    if (r === 8) return { startsAt: now, endsAt: null } // starts exactly now: active
    return { startsAt: null, endsAt: now } // ends exactly now: expired
  }

  // Random grants for one user: an organization role (often), and app roles for a few apps.
  const grantsFor = (userKey: string) => {
    const rows: Array<typeof roleAssignments.$inferInsert> = []
    if (rnd.chance(0.7)) rows.push({ userKey, roleKey: rnd.pick(roleKeys), appKey: null, ...period() })
    for (const appKey of appKeys) if (rnd.chance(0.3)) rows.push({ userKey, roleKey: rnd.pick(roleKeys), appKey, ...period() })
    return rows
  }

  beforeAll(async () => {
    await setupOrganization()
    const db = await getDb()
    catalogue = await db.transaction((tx) => loadCatalogue(tx))
    stageKeys = [...catalogue.stages.keys()]
    appKeys = []
    for (let i = 0; i < 6; i++) appKeys.push((await createApp(`Property app ${i}`)).key)

    // Random custom roles: a few permissions each, stage-limited (where the registry allows it)
    // to a random subset of stages about half the time; plus the built-in Administrator and Developer.
    const builtIn = await db.select({ key: roles.key }).from(roles)
    roleKeys = builtIn.map((r) => r.key)
    for (let i = 0; i < 18; i++) {
      const [role] = await db.insert(roles).values({ name: `Property role ${i}` }).returning({ key: roles.key })
      const chosen = new Set<string>()
      const n = 1 + rnd.int(7)
      while (chosen.size < n) chosen.add(rnd.pick(permissionDefs).slug)
      await db.insert(rolePermissions).values(
        [...chosen].map((slug) => {
          const def = catalogue.permissions.get(slug)!
          return { roleKey: role.key, permissionKey: def.key, stageKeys: def.allowStages && rnd.chance(0.5) ? rnd.subset(stageKeys) : null }
        }),
      )
      roleKeys.push(role.key)
    }

    userKeys = await insertUsers(Array.from({ length: USERS }, (_, i) => ({ name: `Property user ${i}`, email: `property.${i}@example.test`, isMember: true })))
    const rows = userKeys.flatMap(grantsFor)
    for (let i = 0; i < rows.length; i += 500) await db.insert(roleAssignments).values(rows.slice(i, i + 500))
  })

  /** Random checks for every user: permissions they were granted (or imply) about half the time, any permission otherwise. */
  async function casesFor(perUser = CHECKS_PER_USER): Promise<Case[]> {
    const db = await getDb()
    const granted = await db
      .select({ userKey: roleAssignments.userKey, permissionKey: rolePermissions.permissionKey, appKey: roleAssignments.appKey })
      .from(roleAssignments)
      .innerJoin(rolePermissions, eq(rolePermissions.roleKey, roleAssignments.roleKey))
    const slugOf = new Map(permissionDefs.map((p) => [p.key, p.slug]))
    const byUser = new Map<string, { slugs: string[]; apps: string[] }>()
    for (const g of granted) {
      const entry = byUser.get(g.userKey) ?? { slugs: [], apps: [] }
      const slug = slugOf.get(g.permissionKey)!
      entry.slugs.push(slug, ...(catalogue.permissions.get(slug)?.inherits ?? []))
      if (g.appKey) entry.apps.push(g.appKey)
      byUser.set(g.userKey, entry)
    }
    const cases: Case[] = []
    for (const userKey of userKeys) {
      const mine = byUser.get(userKey) ?? { slugs: [], apps: [] }
      for (let i = 0; i < perUser; i++) {
        const slug = mine.slugs.length && rnd.chance(0.6) ? rnd.pick(mine.slugs) : rnd.pick(permissionDefs).slug
        const a = rnd.int(10)
        const appKey = a < 3 ? null : mine.apps.length && a < 7 ? rnd.pick(mine.apps) : rnd.pick(appKeys)
        const stageKey = rnd.chance(0.2) ? null : rnd.pick(stageKeys)
        cases.push({ userKey, slug, appKey, stageKey })
      }
    }
    return cases
  }

  /** Runs every case both ways; returns the disagreements and what the evaluator said, for coverage. */
  async function compare(cases: Case[]) {
    const db = await getDb()
    const checker = sql()
    const principals = new Map<string, Awaited<ReturnType<typeof loadUserPrincipal>>>()
    await db.transaction(async (tx) => {
      for (const userKey of new Set(cases.map((c) => c.userKey))) principals.set(userKey, await loadUserPrincipal(tx, { key: userKey, label: userKey }))
    })
    const client = await database.current().pool.connect()
    const mismatches: Array<Case & { evaluator: boolean; sql: boolean; reason: string }> = []
    const seen = { allowed: 0, denied: 0, why: new Set<string>() }
    try {
      for (const c of cases) {
        const decision: Decision = check(principals.get(c.userKey)!, catalogue, c.slug, { appKey: c.appKey, stageKey: c.stageKey }, now)
        const answer = await checker.check(client, { ...c, now })
        if (decision.allowed) seen.allowed++
        else seen.denied++
        for (const m of decision.nearMisses) seen.why.add(m.why)
        if (answer !== decision.allowed) mismatches.push({ ...c, evaluator: decision.allowed, sql: answer, reason: decision.reason })
      }
    } finally {
      client.release()
    }
    return { mismatches, seen }
  }

  it(`gives identical answers for ${USERS} random principals × ${CHECKS_PER_USER} checks (seed ${SEED})`, async () => {
    const { mismatches, seen } = await compare(await casesFor())
    expect(mismatches.slice(0, 10)).toEqual([])
    // The cases cover both answers and every way of coming close.
    expect(seen.allowed).toBeGreaterThan(USERS)
    expect(seen.denied).toBeGreaterThan(USERS)
    expect([...seen.why].sort()).toEqual(['expired', 'no-stage', 'organization-only', 'other-app', 'scheduled', 'stage'])
  }, 180_000)

  it('still agrees after random grant changes, revocations and role edits', async () => {
    const db = await getDb()
    for (let round = 0; round < 3; round++) {
      // Revoke, re-grant with another role or period, and grant anew, for a random third of the users.
      for (const userKey of userKeys) {
        if (!rnd.chance(0.33)) continue
        const r = rnd.int(3)
        if (r === 0) await db.delete(roleAssignments).where(eq(roleAssignments.userKey, userKey))
        else if (r === 1) await db.update(roleAssignments).set({ roleKey: rnd.pick(roleKeys), ...period() }).where(eq(roleAssignments.userKey, userKey))
        else {
          await db.delete(roleAssignments).where(eq(roleAssignments.userKey, userKey))
          const fresh = grantsFor(userKey)
          if (fresh.length) await db.insert(roleAssignments).values(fresh)
        }
      }
      // Edit a custom role: drop one permission, add another with a new stage limit.
      const [role] = await db.select({ key: roles.key }).from(roles).where(eq(roles.name, `Property role ${rnd.int(18)}`))
      const perms = await db.select({ permissionKey: rolePermissions.permissionKey }).from(rolePermissions).where(eq(rolePermissions.roleKey, role.key))
      if (perms.length > 1) await db.delete(rolePermissions).where(and(eq(rolePermissions.roleKey, role.key), eq(rolePermissions.permissionKey, rnd.pick(perms).permissionKey)))
      const def = rnd.pick(permissionDefs)
      await db
        .insert(rolePermissions)
        .values({ roleKey: role.key, permissionKey: def.key, stageKeys: def.allowStages ? rnd.subset(stageKeys) : null })
        .onConflictDoNothing()
      const { mismatches } = await compare(await casesFor(8))
      expect(mismatches.slice(0, 10)).toEqual([])
    }
    // The users table was only read: nobody lost their row.
    expect((await db.select({ key: users.key }).from(users)).length).toBeGreaterThanOrEqual(USERS)
  }, 300_000)
})
