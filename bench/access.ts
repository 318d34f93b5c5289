/**
 * Access-model benchmark (perf-plan B1 and issue 3 "Done when"): the in-process evaluator against a
 * prepared SQL join, the "Effective permissions" page load, "who has access" for an app with 100,000
 * holders among 1,000,000 users, and a check that a role or group change is visible to the very
 * next check.
 *
 *   node --conditions=react-server --import tsx bench/access.ts --users 1000000
 *
 * Options: --users N (1000000), --holders H (100000, at most N/10): end-users holding the big app's
 *   roles in PRD, --sparse S (500): holders of the sparse app, --target postgres|pglite|both (postgres),
 *   --runs R (200): timed calls per use-case shape after --warmup W (10) rounds, --budget-ms T (20000),
 *   --checks C (200000): in-process checks for the throughput loop (--per-call K, 100000, are timed
 *   one by one), --sql-checks Q (5000): prepared SQL checks, --deep-pages P (50),
 *   --no-plans, --keep, --wait-load L (off) / --wait-max-s S (600),
 *   --no-wait-bench: do not wait for a running bench/users-list.ts (by default: poll every 30 s,
 *   at most --wait-bench-max-s, 2400).
 * Environment: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { eq } from 'drizzle-orm'
import { installDatabase, type Database } from '@/db/client'
import { migrateDatabase } from '@/db/migrate'
import { appRoleInstances, appRoles, appStages, apps, groups, rolePermissions, roles, stages } from '@/db/schema'
import { checkAccess } from '@/lib/access/check-access'
import { getUserAccess } from '@/lib/access/explain-access'
import { setRoleGrant } from '@/lib/access/grants'
import { whoHasAccess, type WhoHasAccessPage } from '@/lib/access/who-has-access'
import { permissionsBySlug } from '@/lib/authz/catalogue'
import { check } from '@/lib/authz/evaluate'
import { loadCatalogue, loadUserPrincipal } from '@/lib/authz/load'
import type { Catalogue, CheckTarget, Principal } from '@/lib/authz/model'
import type { Ctx } from '@/lib/context'
import { setGroupRoles } from '@/lib/groups/set-group-roles'
import { runSetup } from '@/lib/setup/run-setup'
import {
  codeVersion,
  explainAll,
  interleaved,
  loadavg,
  log,
  machineInfo,
  ms,
  openPglite,
  openPostgres,
  parseFlags,
  resultsDir,
  stats,
  waitForOtherBenchmark,
  waitForQuiet,
  type Bench,
  type Stats,
  type TargetName,
} from './lib/harness'
import { compilePrincipal } from './lib/compiled-check'
import { sqlChecker } from './lib/sql-check'

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv: string[]) {
  const { args, int } = parseFlags(argv)
  const target = args.get('target') ?? 'postgres'
  if (!['pglite', 'postgres', 'both'].includes(target)) throw new Error('--target must be pglite, postgres or both')
  const users = int('users', 1_000_000)
  const opts = {
    users,
    holders: Math.min(int('holders', 100_000), Math.floor(users / 10)),
    sparse: int('sparse', 500),
    targets: (target === 'both' ? ['postgres', 'pglite'] : [target]) as TargetName[],
    runs: Math.max(1, int('runs', 200)),
    warmup: int('warmup', 10),
    budgetMs: int('budget-ms', 20000),
    checks: Math.max(10_000, int('checks', 200_000)),
    perCall: Math.max(10_000, int('per-call', 100_000)),
    sqlChecks: Math.max(100, int('sql-checks', 5000)),
    deepPages: Math.max(1, int('deep-pages', 50)),
    plans: !args.has('no-plans'),
    keep: args.has('keep'),
    waitLoad: Number(args.get('wait-load') ?? 0),
    waitMaxS: int('wait-max-s', 600),
    waitBench: !args.has('no-wait-bench'),
    waitBenchMaxS: int('wait-bench-max-s', 2400),
    adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  }
  if (opts.users < 10_000) throw new Error('--users must be at least 10000')
  return opts
}

type Options = ReturnType<typeof parseArgs>

const PER_PAGE = 50
const TARGET_CHECK_P50_US = 1
const TARGET_SPEEDUP = 100
const TARGET_WHO_P95_MS = 20
const ADMIN = { organizationName: 'Bench Org', name: 'Bench Admin', email: 'bench.admin@example.test', password: 'Correct-Horse-Battery-42' }
const PRINCIPAL_EMAIL = 'bench.principal@example.test'

// ---------------------------------------------------------------------------------------------
// Seed

/** Custom organization roles: mixed stage limits (stage codes), and one listing organization-only permissions (ignored in an app role, AUTHZ-2). */
const CUSTOM_ROLES: Record<string, Array<{ slug: string; stages?: string[] }>> = {
  'Bench member': [{ slug: 'support.open' }, { slug: 'org.view_audit' }, { slug: 'users.view_members' }],
  'QA deployer': [{ slug: 'release.deploy', stages: ['QA'] }, { slug: 'asset.change' }, { slug: 'monitoring.logs', stages: ['DEV', 'QA'] }, { slug: 'config.view', stages: ['DEV', 'QA'] }],
  'PRD operator': [{ slug: 'release.deploy', stages: ['PRD'] }, { slug: 'release.release' }, { slug: 'monitoring.logs' }, { slug: 'monitoring.user_info', stages: ['PRD'] }, { slug: 'endusers.view', stages: ['PRD'] }],
  'App viewer': [{ slug: 'asset.open' }, { slug: 'analyze.view_findings' }, { slug: 'config.view' }, { slug: 'maintenance.view_updates' }],
  'App owner': [
    { slug: 'asset.change' },
    { slug: 'asset.delete' },
    { slug: 'endusers.manage_access', stages: ['DEV', 'QA'] },
    { slug: 'analyze.manage_findings' },
    { slug: 'config.edit_asset', stages: ['DEV'] },
  ],
  'Org-only in app': [{ slug: 'users.manage' }, { slug: 'asset.create' }, { slug: 'maintenance.manage_updates' }],
}
const APP_ROLE_CYCLE = ['QA deployer', 'PRD operator', 'App viewer', 'App owner', 'Org-only in app']
const BIG_ROLES = ['Viewer', 'Editor', 'Approver', 'Admin', 'Auditor']
const BIG_GROUPS = 20
const CODES = ['DEV', 'QA', 'PRD'] as const
type Code = (typeof CODES)[number]

const FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara', 'Sofia', 'Lukas', 'Mateo', 'Chloé', 'Zoë', 'José', 'Björn', 'Søren', 'Anaïs', 'Akira', 'Yuki', 'Wei', 'Priya', 'Arjun', 'Fatima', 'Omar', 'Aisha', 'Kwame', 'Olga', 'Dmitri', 'Ingrid', 'Lars', 'Siobhan', 'Giulia', 'Matteo', 'Elif', 'Mehmet', 'Ana']
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Lee', 'Perez', 'Thompson', 'White', "O'Brien", 'McDonald', 'van der Berg', 'Müller', 'Schäfer', 'Nilsson', 'Østergaard', 'Kowalski', 'Wiśniewski', 'Dubois', 'Rossi', 'Fernández', 'Silva', 'Yamamoto', 'Tanaka', 'Wang', 'Li', 'Chen', 'Sharma', 'Singh', 'Okafor', 'Mensah', 'Ivanov', 'Yılmaz', 'Hudson', 'Emerson']
const textArray = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`

type AppSeed = { key: string; name: string; roles: Array<{ key: string; name: string; instances: Record<Code, string> }> }

type Seeded = {
  adminKey: string
  stageKeys: Record<Code, string>
  roleKeys: Record<string, string>
  big: AppSeed
  sparse: AppSeed
  apps: AppSeed[]
  principalKey: string
  expected: { principalAppRoles: number; principalEndUserRoles: number; sparseEndUsers: string[] }
  fresh: { memberKey: string; endUserKey: string; groupKey: string; otherApp: AppSeed }
  sizes: Record<string, string | number>
  timings: Record<string, number>
}

async function seed(database: Database, target: TargetName, opts: Options): Promise<Seeded> {
  const timings: Record<string, number> = {}
  const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now()
    const value = await fn()
    timings[what] = performance.now() - t
    log(`  ${what}: ${(timings[what] / 1000).toFixed(1)} s`)
    return value
  }
  const { db } = database
  const { userKey: adminKey } = await timed('setup (organization, stages, registry, built-in roles, administrator)', () =>
    runSetup({ actor: null, ip: '127.0.0.1', userAgent: 'bench' }, ADMIN),
  )
  const stageRows = await db.select({ key: stages.key, code: stages.code }).from(stages)
  const stageKeys = Object.fromEntries(stageRows.map((s) => [s.code, s.key])) as Record<Code, string>
  const roleKeys: Record<string, string> = Object.fromEntries((await db.select({ key: roles.key, name: roles.name }).from(roles)).map((r) => [r.name, r.key]))
  for (const [name, grants] of Object.entries(CUSTOM_ROLES)) {
    const [role] = await db.insert(roles).values({ name }).returning({ key: roles.key })
    await db.insert(rolePermissions).values(grants.map((g) => ({ roleKey: role.key, permissionKey: permissionsBySlug.get(g.slug)!.key, stageKeys: g.stages ? g.stages.map((c) => stageKeys[c as Code]) : null })))
    roleKeys[name] = role.key
  }

  const createApp = async (name: string, roleNames: string[]): Promise<AppSeed> => {
    const [app] = await db.insert(apps).values({ name }).returning({ key: apps.key })
    await db.insert(appStages).values(CODES.map((c) => ({ appKey: app.key, stageKey: stageKeys[c] })))
    const out: AppSeed = { key: app.key, name, roles: [] }
    for (const roleName of roleNames) {
      const [role] = await db.insert(appRoles).values({ appKey: app.key, name: roleName, claimName: roleName.toLowerCase() }).returning({ key: appRoles.key })
      const rows = await db
        .insert(appRoleInstances)
        .values(CODES.map((c) => ({ appRoleKey: role.key, appKey: app.key, stageKey: stageKeys[c] })))
        .returning({ key: appRoleInstances.key, stageKey: appRoleInstances.stageKey })
      const instances = Object.fromEntries(CODES.map((c) => [c, rows.find((r) => r.stageKey === stageKeys[c])!.key])) as Record<Code, string>
      out.roles.push({ key: role.key, name: roleName, instances })
    }
    return out
  }
  const { big, sparse, appList } = await timed('apps and end-user roles', async () => {
    const big = await createApp('Big app', BIG_ROLES)
    const sparse = await createApp('Sparse app', ['Member', 'Manager'])
    const appList: AppSeed[] = []
    for (let i = 1; i <= 26; i++) appList.push(await createApp(`App ${String(i).padStart(2, '0')}`, ['User', 'Manager']))
    return { big, sparse, appList }
  })

  const client = await database.pool.connect()
  const n = opts.users
  const H = opts.holders
  const S = opts.sparse
  try {
    await client.query(`set maintenance_work_mem = '${target === 'postgres' ? '1GB' : '256MB'}'`)
    // Users: one INSERT … SELECT over generate_series with the secondary indexes dropped and
    // recreated from their own definitions afterwards (as bench/users-list.ts does). 1 % are members;
    // about 1.15 × (H + S + 2,000) of the others are end-users, who all get an application role below.
    const endUserPerMillion = Math.min(1_000_000, Math.ceil((1.15 * (H + S + 2000) * 1_000_000) / (0.99 * n)))
    const { rows: defs } = await client.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = 'users' and indexname <> 'users_pkey' order by indexname`,
    )
    await timed(`insert ${n.toLocaleString('en')} users`, async () => {
      for (const d of defs) await client.query(`drop index ${d.indexname}`)
      const bits = (s: number) => `(hashint8extended(g.i, ${s}) & 9223372036854775807)`
      await client.query(
        `insert into users (name, email, status, is_email_verified, is_member, is_end_user, created_at, updated_at)
         select first || ' ' || last, lower(regexp_replace(first || '.' || last, '[^A-Za-z.]', '', 'g')) || '.' || g.i || '@bench.example', 'Active', true,
                g.i % 100 = 0, g.i % 100 <> 0 and ${bits(7)} % 1000000 < $2, t0 - interval '1 day' * (${bits(8)} % 1000), t0
         from generate_series(1, $1::int) g(i),
           lateral (select ${textArray(FIRST)} as firsts, ${textArray(LAST)} as lasts, now() as t0) c,
           lateral (select firsts[1 + ${bits(1)} % cardinality(firsts)] as first, lasts[1 + ${bits(2)} % cardinality(lasts)] as last) nm`,
        [n, endUserPerMillion],
      )
    })
    await timed('build users indexes', async () => {
      for (const d of defs) await client.query(d.indexdef)
    })
    const { rows: counted } = await client.query<{ n: number }>(`select count(*)::int as n from users where is_end_user`)
    if (counted[0].n < H + S + 1000) throw new Error(`only ${counted[0].n} end-users for ${H} + ${S} holders; raise --users`)

    await timed('end-user roles and groups (set-based)', async () => {
      await client.query(`create temp table eu as select key, (row_number() over (order by key))::int as rn from users where is_end_user`)
      await client.query(`create index on eu (rn)`)
      // Big app: H holders in PRD (the first H end-users by key, which is random in name order):
      // 70 % directly, 40 % through one of 20 PRD groups (10 % both); a third also hold a role in DEV.
      const bigPrd = big.roles.map((r) => r.instances.PRD)
      const bigDev = big.roles.map((r) => r.instances.DEV)
      await client.query(
        `insert into end_user_role_assignments (user_key, instance_key)
         select key, ($2::uuid[])[1 + rn % 5] from eu where rn <= $1 and rn % 10 < 7
         union all select key, ($3::uuid[])[1 + rn % 5] from eu where rn <= $1 and rn % 3 = 0`,
        [H, bigPrd, bigDev],
      )
      const groupKeys: string[] = []
      for (let i = 0; i < BIG_GROUPS; i++) {
        const { rows } = await client.query<{ key: string }>(`insert into groups (stage_key, name) values ($1, $2) returning key`, [stageKeys.PRD, `Big app group ${String(i).padStart(2, '0')}`])
        groupKeys.push(rows[0].key)
        const granted = i % 2 === 0 ? [bigPrd[i % 5], bigPrd[(i + 1) % 5]] : [bigPrd[i % 5]]
        for (const instanceKey of granted) await client.query(`insert into group_roles (group_key, instance_key) values ($1, $2)`, [rows[0].key, instanceKey])
      }
      await client.query(`insert into group_members (group_key, user_key) select ($2::uuid[])[1 + (rn / 10) % ${BIG_GROUPS}], key from eu where rn <= $1 and rn % 10 >= 6`, [H, groupKeys])
      // Sparse app: S holders in PRD, half directly, half through one group.
      const { rows: sg } = await client.query<{ key: string }>(`insert into groups (stage_key, name) values ($1, 'Sparse app group') returning key`, [stageKeys.PRD])
      await client.query(`insert into group_roles (group_key, instance_key) values ($1, $2)`, [sg[0].key, sparse.roles[0].instances.PRD])
      await client.query(`insert into end_user_role_assignments (user_key, instance_key) select key, ($3::uuid[])[1 + (rn / 2) % 2] from eu where rn > $1 and rn <= $1 + $2 and rn % 2 = 0`, [
        H,
        S,
        sparse.roles.map((r) => r.instances.PRD),
      ])
      await client.query(`insert into group_members (group_key, user_key) select $3, key from eu where rn > $1 and rn <= $1 + $2 and rn % 2 = 1`, [H, S, sg[0].key])
      // Every other end-user holds App 01 · User in DEV, so that is_end_user matches the grants.
      await client.query(`insert into end_user_role_assignments (user_key, instance_key) select key, $2 from eu where rn > $1`, [H + S, appList[0].roles[0].instances.DEV])
    })
    await timed('organization and app role grants of members (set-based)', async () => {
      await client.query(`create temp table mm as select key, (row_number() over (order by key))::int as rn from users u where is_member and not exists (select 1 from role_assignments ra where ra.user_key = u.key)`)
      // Organization scope: 5 Administrators, 20 Developers, the rest "Bench member" (organization-only permissions).
      await client.query(
        `insert into role_assignments (user_key, role_key) select key, case when rn <= 5 then $1::uuid when rn <= 25 then $2::uuid else $3::uuid end from mm`,
        [roleKeys.Administrator, roleKeys.Developer, roleKeys['Bench member']],
      )
      // App scope: one member in ten is an "App viewer" of the big app; ten are "App owner" of the sparse app.
      await client.query(`insert into role_assignments (user_key, role_key, app_key) select key, $1, $2 from mm where rn % 10 = 1`, [roleKeys['App viewer'], big.key])
      await client.query(`insert into role_assignments (user_key, role_key, app_key) select key, $1, $2 from mm where rn > 25 and rn <= 35`, [roleKeys['App owner'], sparse.key])
    })
  } finally {
    await client.query('reset maintenance_work_mem').catch(() => {})
    client.release()
  }

  // The principal of the evaluator and page-load measurements: an organization role, 20 app roles
  // (mixed stage limits; one scheduled, one expired, one in an active window) and 10 groups, each
  // granting three application roles, plus 5 direct application roles.
  const principal = await timed('principal with 1 organization role, 20 app roles, 10 groups', async () => {
    const { rows } = await database.pool.query<{ key: string }>(
      `insert into users (name, email, status, is_email_verified, is_member, is_end_user) values ('Bench Principal', $1, 'Active', true, true, true) returning key`,
      [PRINCIPAL_EMAIL],
    )
    const key = rows[0].key
    const now = Date.now()
    const day = 86_400_000
    await database.pool.query(`insert into role_assignments (user_key, role_key) values ($1, $2)`, [key, roleKeys.Developer])
    for (let i = 0; i < 20; i++) {
      const startsAt = i === 18 ? new Date(now + 30 * day) : i === 17 ? new Date(now - 30 * day) : null
      const endsAt = i === 19 ? new Date(now - 30 * day) : i === 17 ? new Date(now + 30 * day) : null
      await database.pool.query(`insert into role_assignments (user_key, role_key, app_key, starts_at, ends_at) values ($1, $2, $3, $4, $5)`, [
        key,
        roleKeys[APP_ROLE_CYCLE[i % APP_ROLE_CYCLE.length]],
        appList[i].key,
        startsAt,
        endsAt,
      ])
    }
    const instances = new Set<string>()
    for (let g = 0; g < 10; g++) {
      const code = CODES[g % 3]
      const { rows: gr } = await database.pool.query<{ key: string }>(`insert into groups (stage_key, name) values ($1, $2) returning key`, [stageKeys[code], `Principal group ${g}`])
      for (let j = 0; j < 3; j++) {
        const app = appList[(g * 3 + j) % 20]
        const instanceKey = app.roles[g % 2].instances[code]
        instances.add(instanceKey)
        await database.pool.query(`insert into group_roles (group_key, instance_key) values ($1, $2)`, [gr[0].key, instanceKey])
      }
      // The principal and 500 other end-users.
      await database.pool.query(`insert into group_members (group_key, user_key) values ($1, $2)`, [gr[0].key, key])
      await database.pool.query(`insert into group_members (group_key, user_key) select $1, key from users where is_end_user and key <> $2 order by key desc offset $3 limit 500`, [gr[0].key, key, g * 500])
    }
    for (let j = 20; j < 25; j++) {
      instances.add(appList[j].roles[0].instances.PRD)
      await database.pool.query(`insert into end_user_role_assignments (user_key, instance_key) values ($1, $2)`, [key, appList[j].roles[0].instances.PRD])
    }
    return { key, endUserRoles: instances.size }
  })

  // For the "next check" verification: a member with only "Bench member", an end-user holding only
  // App 01 · User in DEV, and an empty PRD group they belong to.
  const fresh = await (async () => {
    const { rows: m } = await database.pool.query<{ key: string }>(`select ra.user_key as key from role_assignments ra where ra.role_key = $1 and ra.app_key is null limit 1`, [roleKeys['Bench member']])
    const { rows: e } = await database.pool.query<{ key: string }>(
      `insert into users (name, email, status, is_email_verified, is_end_user) values ('Fresh End-User', 'fresh.end-user@example.test', 'Active', true, true) returning key`,
    )
    await database.pool.query(`insert into end_user_role_assignments (user_key, instance_key) values ($1, $2)`, [e[0].key, appList[0].roles[0].instances.DEV])
    const [group] = await db.insert(groups).values({ stageKey: stageKeys.PRD, name: 'Freshness group' }).returning({ key: groups.key })
    await database.pool.query(`insert into group_members (group_key, user_key) values ($1, $2)`, [group.key, e[0].key])
    return { memberKey: m[0].key, endUserKey: e[0].key, groupKey: group.key, otherApp: appList[25] }
  })()

  await timed('vacuum analyze + checkpoint', async () => {
    await database.pool.query('vacuum analyze')
    await database.pool.query('checkpoint')
  })
  const { rows: sparseRows } = await database.pool.query<{ key: string }>(
    `select user_key as key from end_user_role_assignments where instance_key = any($1::uuid[])
     union select gm.user_key from group_members gm join group_roles gr on gr.group_key = gm.group_key where gr.instance_key = any($1::uuid[])`,
    [sparse.roles.map((r) => r.instances.PRD)],
  )
  const sizes = (
    await database.pool.query(`select
      (select count(*) from users)::int as users,
      (select count(*) from users where is_member)::int as members,
      (select count(*) from users where is_end_user)::int as end_users,
      (select count(*) from role_assignments)::int as role_assignments,
      (select count(*) from end_user_role_assignments)::int as end_user_role_assignments,
      (select count(*) from groups)::int as groups,
      (select count(*) from group_members)::int as group_members,
      (select count(*) from apps)::int as apps,
      (select count(*) from app_role_instances)::int as app_role_instances,
      (select count(distinct u) from (select user_key as u from end_user_role_assignments where instance_key = any($1::uuid[])
         union all select gm.user_key from group_members gm join group_roles gr on gr.group_key = gm.group_key where gr.instance_key = any($1::uuid[])) h)::int as big_prd_end_user_holders,
      pg_size_pretty(pg_database_size(current_database())) as database_size`, [big.roles.map((r) => r.instances.PRD)])
  ).rows[0] as Record<string, string | number>
  return {
    adminKey,
    stageKeys,
    roleKeys,
    big,
    sparse,
    apps: appList,
    principalKey: principal.key,
    expected: { principalAppRoles: 20, principalEndUserRoles: principal.endUserRoles, sparseEndUsers: sparseRows.map((r) => r.key) },
    fresh,
    sizes,
    timings,
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Evaluator vs prepared SQL join

type CheckCase = { slug: string; target: CheckTarget }

/** A fixed, seeded mix of checks: every permission, the principal's apps, an app they have no role for, no app; every stage or none. */
function checkMix(seeded: Seeded, count: number): CheckCase[] {
  let a = 0x9e3779b9
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const slugs = [...permissionsBySlug.keys()]
  const assetSlugs = [...permissionsBySlug.values()].filter((p) => p.allowedScopes.includes('Asset')).map((p) => p.slug)
  const stageList = [...Object.values(seeded.stageKeys), null]
  const out: CheckCase[] = []
  for (let i = 0; i < count; i++) {
    const slug = rnd() < 0.6 ? assetSlugs[Math.floor(rnd() * assetSlugs.length)] : slugs[Math.floor(rnd() * slugs.length)]
    const r = rnd()
    const appKey = r < 0.6 ? seeded.apps[Math.floor(rnd() * 20)].key : r < 0.8 ? seeded.big.key : null
    const stageKey = stageList[Math.floor(rnd() * (rnd() < 0.85 ? 3 : 4))]
    out.push({ slug, target: { appKey, stageKey } })
  }
  return out
}

type EvaluatorResult = {
  principal: { grants: number; appGrants: number; permissionsGranted: number }
  mix: { cases: number; allowedShare: number }
  inProcess: { checks: number; seconds: number; checksPerSecond: number; meanUs: number; perCall: Stats; timerFloorUs: Stats }
  sql: { calls: number; checksPerSecond: number; perCallMs: Stats; serverMs: number; disagreements: number }
  prototype: { compileUs: number; checksPerSecond: number; perCall: Stats; disagreements: number }
  speedupP50: number
  speedupMean: number
}

function timeInProcess(principal: Principal, catalogue: Catalogue, cases: CheckCase[], now: Date, opts: Options) {
  const m = cases.length
  let allowed = 0
  for (let i = 0; i < 50_000; i++) check(principal, catalogue, cases[i % m].slug, cases[i % m].target, now)
  // Throughput: one tight loop over the mix.
  const t0 = performance.now()
  for (let i = 0; i < opts.checks; i++) if (check(principal, catalogue, cases[i % m].slug, cases[i % m].target, now).allowed) allowed++
  const seconds = (performance.now() - t0) / 1000
  // Latency: each call timed on its own with the high-resolution clock; the floor is the same loop around an empty call.
  const samples = new Array<number>(opts.perCall)
  const floor = new Array<number>(opts.perCall)
  const noop = (p: Principal, c: Catalogue, s: string, t: CheckTarget, n: Date) => (p === undefined ? c && s && t && n : undefined)
  for (let i = 0; i < opts.perCall; i++) {
    const c = cases[i % m]
    const a = process.hrtime.bigint()
    check(principal, catalogue, c.slug, c.target, now)
    samples[i] = Number(process.hrtime.bigint() - a) / 1000
    const b = process.hrtime.bigint()
    noop(principal, catalogue, c.slug, c.target, now)
    floor[i] = Number(process.hrtime.bigint() - b) / 1000
  }
  return { checks: opts.checks, seconds, checksPerSecond: opts.checks / seconds, meanUs: (seconds * 1e6) / opts.checks, perCall: stats(samples), timerFloorUs: stats(floor), allowedShare: allowed / opts.checks }
}

async function benchEvaluator(database: Database, seeded: Seeded, opts: Options): Promise<{ result: EvaluatorResult; plan: string }> {
  const now = new Date()
  const { principal, catalogue } = await database.db.transaction(async (tx) => ({
    principal: await loadUserPrincipal(tx, { key: seeded.principalKey, label: PRINCIPAL_EMAIL }),
    catalogue: await loadCatalogue(tx),
  }))
  const cases = checkMix(seeded, 4096)
  const inProcess = timeInProcess(principal, catalogue, cases, now, opts)
  log(`  in-process: ${Math.round(inProcess.checksPerSecond).toLocaleString('en')} checks/s, mean ${inProcess.meanUs.toFixed(2)} µs, per call p50 ${inProcess.perCall.p50.toFixed(2)} µs p99 ${inProcess.perCall.p99.toFixed(2)} µs (timer floor p50 ${inProcess.timerFloorUs.p50.toFixed(3)} µs)`)

  // Bench-only prototype: the same decisions with the conferred permissions cached per principal.
  // Compiling happens once per request: its median over 21 compilations (the first is cold JIT).
  const compileTimes: number[] = []
  let compiled = compilePrincipal(principal, catalogue)
  for (let i = 0; i < 21; i++) {
    const c0 = process.hrtime.bigint()
    compiled = compilePrincipal(principal, catalogue)
    compileTimes.push(Number(process.hrtime.bigint() - c0) / 1000)
  }
  const compileUs = stats(compileTimes).p50
  const nowMs = now.getTime()
  let protoDisagreements = 0
  for (const c of cases) if (compiled(c.slug, c.target, nowMs) !== check(principal, catalogue, c.slug, c.target, now).allowed) protoDisagreements++
  for (let i = 0; i < 200_000; i++) compiled(cases[i % cases.length].slug, cases[i % cases.length].target, nowMs)
  const p0 = performance.now()
  for (let i = 0; i < opts.checks; i++) compiled(cases[i % cases.length].slug, cases[i % cases.length].target, nowMs)
  const protoSeconds = (performance.now() - p0) / 1000
  const protoSamples = new Array<number>(opts.perCall)
  for (let i = 0; i < opts.perCall; i++) {
    const c = cases[i % cases.length]
    const a = process.hrtime.bigint()
    compiled(c.slug, c.target, nowMs)
    protoSamples[i] = Number(process.hrtime.bigint() - a) / 1000
  }
  const prototype = { compileUs, checksPerSecond: opts.checks / protoSeconds, perCall: stats(protoSamples), disagreements: protoDisagreements }
  log(`  prototype (cached conferred permissions): ${Math.round(prototype.checksPerSecond).toLocaleString('en')} checks/s, per call p50 ${prototype.perCall.p50.toFixed(3)} µs, compile ${compileUs.toFixed(0)} µs, ${protoDisagreements} disagreements`)

  // The SQL twin: a named prepared statement through the portal's own pg pool, same cases in the same order.
  const checker = sqlChecker(catalogue, { name: 'bench_authz_check' })
  const ask = (c: CheckCase) => checker.check(database.pool, { userKey: seeded.principalKey, slug: c.slug, appKey: c.target.appKey, stageKey: c.target.stageKey, now })
  for (let i = 0; i < 200; i++) await ask(cases[i % cases.length])
  const samples: number[] = []
  let disagreements = 0
  const t0 = performance.now()
  for (let i = 0; i < opts.sqlChecks; i++) {
    const c = cases[i % cases.length]
    const t = performance.now()
    const answer = await ask(c)
    samples.push(performance.now() - t)
    if (answer !== check(principal, catalogue, c.slug, c.target, now).allowed) disagreements++
  }
  const sqlSeconds = (performance.now() - t0) / 1000
  // Server-side execution time of the statement alone (best of 5 EXPLAIN ANALYZE runs without per-node timing).
  const sample = cases.find((c) => c.target.appKey && c.target.stageKey && check(principal, catalogue, c.slug, c.target, now).allowed) ?? cases[0]
  const values = [seeded.principalKey, sample.slug, sample.target.appKey ?? null, sample.target.stageKey ?? null, now]
  const { rows: planRows } = await database.pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${checker.text}`, values)
  let serverMs = Infinity
  for (let i = 0; i < 5; i++) {
    const { rows } = await database.pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, timing off) ${checker.text}`, values)
    serverMs = Math.min(serverMs, Number(/Execution Time: ([\d.]+) ms/.exec(rows.map((r) => r['QUERY PLAN']).join('\n'))?.[1] ?? Infinity))
  }
  const perCallMs = stats(samples)
  log(`  SQL: ${Math.round(opts.sqlChecks / sqlSeconds).toLocaleString('en')} checks/s, p50 ${(perCallMs.p50 * 1000).toFixed(0)} µs, p95 ${(perCallMs.p95 * 1000).toFixed(0)} µs, server ${(serverMs * 1000).toFixed(0)} µs, ${disagreements} disagreements`)
  const result: EvaluatorResult = {
    principal: {
      grants: principal.grants.length,
      appGrants: principal.grants.filter((g) => g.appKey !== null).length,
      permissionsGranted: principal.grants.reduce((s, g) => s + g.permissions.length, 0),
    },
    mix: { cases: cases.length, allowedShare: inProcess.allowedShare },
    inProcess: { checks: inProcess.checks, seconds: inProcess.seconds, checksPerSecond: inProcess.checksPerSecond, meanUs: inProcess.meanUs, perCall: inProcess.perCall, timerFloorUs: inProcess.timerFloorUs },
    sql: { calls: opts.sqlChecks, checksPerSecond: opts.sqlChecks / sqlSeconds, perCallMs, serverMs, disagreements },
    prototype,
    speedupP50: (perCallMs.p50 * 1000) / inProcess.perCall.p50,
    speedupMean: (sqlSeconds / opts.sqlChecks) * 1e6 / inProcess.meanUs,
  }
  const plan = `-- the prepared SQL check (bench/lib/sql-check.ts), parameters ${JSON.stringify(values)}\n-- best server execution time of 5 runs: ${serverMs.toFixed(3)} ms\n${planRows.map((r) => r['QUERY PLAN']).join('\n')}`
  return { result, plan }
}

// ---------------------------------------------------------------------------------------------
// 2./3. Use cases: the Effective permissions page and Who has access

type Shape = { id: string; label: string; run: () => Promise<unknown>; expect: () => Promise<string | undefined>; explain?: boolean }
type ShapeResult = { id: string; label: string; stats: Stats; statements?: number; dbMs?: number; target?: number }

const sortedByName = (rows: WhoHasAccessPage['rows']) =>
  rows.every((r, i) => i === 0 || rows[i - 1].name.toLowerCase() < r.name.toLowerCase() || (rows[i - 1].name.toLowerCase() === r.name.toLowerCase() && rows[i - 1].key < r.key))

async function buildShapes(seeded: Seeded, admin: () => Ctx, opts: Options): Promise<{ shapes: Shape[]; notes: string[] }> {
  const notes: string[] = []
  const PRD = seeded.stageKeys.PRD
  const viewer = seeded.big.roles[0]
  const walk = async (input: Record<string, unknown>, pages: number) => {
    let after: string | undefined
    const seen = new Set<string>()
    for (let i = 0; i < pages; i++) {
      const page = await whoHasAccess(admin(), { ...input, after })
      for (const r of page.rows) seen.add(r.key)
      if (!page.next) throw new Error(`${JSON.stringify(input)}: ran out of pages at page ${i + 1}`)
      after = page.next
    }
    return { after: after!, seen }
  }
  const t = performance.now()
  const deep = await walk({ appKey: seeded.big.key, stageKey: PRD }, opts.deepPages)
  const walkMs = performance.now() - t
  const deepRole = await walk({ appKey: seeded.big.key, stageKey: PRD, appRoleKey: viewer.key }, opts.deepPages)
  notes.push(
    `Deep pages: reached by following \`next\` ${opts.deepPages} times (${((walkMs / opts.deepPages) || 0).toFixed(1)} ms per page on that walk, ${deep.seen.size.toLocaleString('en')} distinct users, no repeats: ${deep.seen.size === opts.deepPages * PER_PAGE ? 'yes' : '**no**'}); the timed call is page ${opts.deepPages + 1}.`,
  )
  const fullPage = (input: Record<string, unknown>, extra?: (p: WhoHasAccessPage) => string | undefined) => async () => {
    const p = await whoHasAccess(admin(), input)
    if (p.rows.length !== PER_PAGE || !p.next) return `expected ${PER_PAGE} rows and a next cursor, got ${p.rows.length}, next=${p.next}`
    if (!sortedByName(p.rows)) return 'rows are not in name order'
    if (p.rows.some((r) => r.how.length === 0)) return 'a row does not say how the user has access'
    return extra?.(p)
  }
  const inputs = {
    bigFirst: { appKey: seeded.big.key, stageKey: PRD },
    bigDeep: { appKey: seeded.big.key, stageKey: PRD, after: deep.after },
    roleFirst: { appKey: seeded.big.key, stageKey: PRD, appRoleKey: viewer.key },
    roleDeep: { appKey: seeded.big.key, stageKey: PRD, appRoleKey: viewer.key, after: deepRole.after },
    sparseFirst: { appKey: seeded.sparse.key, stageKey: PRD },
    sparseRole: { appKey: seeded.sparse.key, stageKey: PRD, appRoleKey: seeded.sparse.roles[1].key },
  }
  const shapes: Shape[] = [
    {
      id: 'effective-permissions',
      label: `Effective permissions page: getUserAccess (organization role, 20 app roles, 10 groups)`,
      run: () => getUserAccess(admin(), { userKey: seeded.principalKey }),
      expect: async () => {
        const a = await getUserAccess(admin(), { userKey: seeded.principalKey })
        if (a.organizationRole?.name !== 'Developer') return `organization role ${a.organizationRole?.name}`
        if (a.appRoles.length !== seeded.expected.principalAppRoles) return `expected ${seeded.expected.principalAppRoles} app roles, got ${a.appRoles.length}`
        const states = a.appRoles.map((r) => r.state).sort().join(',')
        if (!states.includes('scheduled') || !states.includes('expired')) return `expected a scheduled and an expired app role, got ${states}`
        if (a.endUserRoles.length !== seeded.expected.principalEndUserRoles) return `expected ${seeded.expected.principalEndUserRoles} end-user roles, got ${a.endUserRoles.length}`
        if (!a.endUserRoles.some((r) => r.sources.some((s) => s.startsWith('through group')))) return 'no end-user role shows its group'
        if (a.categories.length < 3) return `only ${a.categories.length} permission categories`
      },
      explain: true,
    },
    { id: 'who-big-first', label: `Who has access: big app, PRD, first page`, run: () => whoHasAccess(admin(), inputs.bigFirst), expect: fullPage(inputs.bigFirst, (p) => (p.includesMembers ? undefined : 'members not included')), explain: true },
    {
      id: 'who-big-deep',
      label: `Who has access: big app, PRD, page ${opts.deepPages + 1}`,
      run: () => whoHasAccess(admin(), inputs.bigDeep),
      expect: fullPage(inputs.bigDeep, (p) => (p.rows.some((r) => deep.seen.has(r.key)) ? 'a row repeats an earlier page' : undefined)),
      explain: true,
    },
    { id: 'who-role-first', label: `Who has access: big app, PRD, role “${viewer.name}” only, first page`, run: () => whoHasAccess(admin(), inputs.roleFirst), expect: fullPage(inputs.roleFirst, (p) => (p.includesMembers ? 'members included in a role filter' : undefined)), explain: true },
    { id: 'who-role-deep', label: `Who has access: big app, PRD, role “${viewer.name}” only, page ${opts.deepPages + 1}`, run: () => whoHasAccess(admin(), inputs.roleDeep), expect: fullPage(inputs.roleDeep), explain: true },
    {
      id: 'who-sparse-first',
      label: `Who has access: sparse app (${opts.sparse} end-user holders), PRD, first page`,
      run: () => whoHasAccess(admin(), inputs.sparseFirst),
      expect: async () => {
        // Walk every page: every sparse holder appears exactly once, in name order across pages.
        const problem = await fullPage(inputs.sparseFirst)()
        if (problem) return problem
        const seen = new Set<string>()
        let after: string | undefined
        let last: string | null = null
        for (let i = 0; i < 1000; i++) {
          const p = await whoHasAccess(admin(), { ...inputs.sparseFirst, after })
          for (const r of p.rows) {
            if (seen.has(r.key)) return `user ${r.key} appears twice`
            seen.add(r.key)
          }
          if (p.rows.length && last !== null && p.rows[0].name.toLowerCase() < last) return 'pages are not in name order'
          last = p.rows.at(-1)?.name.toLowerCase() ?? last
          if (!p.next) break
          after = p.next
        }
        const missing = seeded.expected.sparseEndUsers.filter((k) => !seen.has(k))
        if (missing.length) return `${missing.length} of ${seeded.expected.sparseEndUsers.length} sparse holders missing`
        notes.push(`Sparse app: walking every page lists ${seen.size} users (the ${seeded.expected.sparseEndUsers.length} end-user holders plus the members whose roles give access), each once, in name order.`)
      },
      explain: true,
    },
    { id: 'who-sparse-role', label: `Who has access: sparse app, PRD, role “${seeded.sparse.roles[1].name}” only (${Math.floor(opts.sparse / 4)} holders), first page`, run: () => whoHasAccess(admin(), inputs.sparseRole), expect: fullPage(inputs.sparseRole), explain: true },
  ]
  return { shapes, notes }
}

/** The floor of the stack: a transaction with three trivial statements. */
async function floorTransaction(database: Database): Promise<void> {
  await database.db.transaction(async (tx) => {
    await tx.execute('select 1')
    await tx.execute('select 1')
    await tx.execute('select 1')
  })
}

// ---------------------------------------------------------------------------------------------
// 4. A role or group change is visible to the very next check

async function verifyFreshness(seeded: Seeded, admin: () => Ctx): Promise<{ steps: string[]; failures: string[] }> {
  const steps: string[] = []
  const failures: string[] = []
  const { memberKey, endUserKey, groupKey, otherApp } = seeded.fresh
  const { QA, PRD } = seeded.stageKeys
  const expectAnswer = async (what: string, input: Record<string, unknown>, allowed: boolean) => {
    const t = performance.now()
    const r = await checkAccess(admin(), input)
    const line = `${what}: ${r.allowed ? 'allowed' : 'denied'} (${(performance.now() - t).toFixed(1)} ms) — ${r.reason}`
    steps.push(line)
    if (r.allowed !== allowed) failures.push(`${what}: expected ${allowed ? 'allowed' : 'denied'}, got ${r.allowed ? 'allowed' : 'denied'}`)
  }
  const deployQa = { user: memberKey, permission: 'release.deploy', appKey: otherApp.key, stageKey: QA }
  await expectAnswer('member, release.deploy on App 26 in QA, before', deployQa, false)
  await setRoleGrant(admin(), { userKey: memberKey, appKey: otherApp.key, roleKey: seeded.roleKeys['QA deployer'] })
  await expectAnswer('… right after setRoleGrant(App 26 → “QA deployer”)', deployQa, true)
  await expectAnswer('… the same in PRD (role limited to QA)', { ...deployQa, stageKey: PRD }, false)
  await setRoleGrant(admin(), { userKey: memberKey, appKey: otherApp.key, roleKey: '' })
  await expectAnswer('… right after revoking it (setRoleGrant with no role)', deployQa, false)
  const manage = { user: memberKey, permission: 'users.manage' }
  await expectAnswer('member, users.manage, before', manage, false)
  await setRoleGrant(admin(), { userKey: memberKey, roleKey: seeded.roleKeys.Administrator })
  await expectAnswer('… right after setRoleGrant(organization → Administrator)', manage, true)
  await setRoleGrant(admin(), { userKey: memberKey, roleKey: seeded.roleKeys['Bench member'] })
  await expectAnswer('… right after setRoleGrant(organization → back to “Bench member”)', manage, false)

  const role = seeded.sparse.roles[0]
  const holds = { user: endUserKey, appRoleKey: role.key, stageKey: PRD }
  await expectAnswer('end-user, Sparse app · Member in PRD, before', holds, false)
  const db = (await import('@/db/client')).getDb
  const version = async () => (await (await db()).select({ v: groups.version }).from(groups).where(eq(groups.key, groupKey)))[0].v
  await setGroupRoles(admin(), { groupKey, instanceKeys: [role.instances.PRD], version: await version() })
  await expectAnswer('… right after setGroupRoles(their group → Sparse app · Member)', holds, true)
  await setGroupRoles(admin(), { groupKey, instanceKeys: [], version: await version() })
  await expectAnswer('… right after setGroupRoles(their group → no roles)', holds, false)
  return { steps, failures }
}

// ---------------------------------------------------------------------------------------------
// Run and report

async function benchTarget(opts: Options, bench: Bench): Promise<string> {
  const { database, target } = bench
  const loadBefore = loadavg()
  log(`${target}: load average before start ${loadBefore}`)
  const serverVersion = ((await database.pool.query('select version() as v')).rows[0] as { v: string }).v
  await migrateDatabase(database.pool)
  installDatabase(database)
  log(`${target}: seeding ${opts.users.toLocaleString('en')} users, ${opts.holders.toLocaleString('en')} big-app holders, ${opts.sparse} sparse-app holders`)
  const seedStart = performance.now()
  const seeded = await seed(database, target, opts)
  const seedMs = performance.now() - seedStart
  const admin = (): Ctx => ({ actor: { type: 'user', userKey: seeded.adminKey, label: ADMIN.email }, ip: '127.0.0.1', userAgent: 'bench' })

  const { shapes, notes } = await buildShapes(seeded, admin, opts)
  const failures: string[] = []
  for (const s of shapes) {
    const problem = await s.expect()
    if (problem) failures.push(`${s.label}: ${problem}`)
  }
  await waitForQuiet(opts.waitLoad, opts.waitMaxS)
  const loadMeasure = loadavg()

  log(`${target}: evaluator vs SQL (load average ${loadMeasure})`)
  const evaluator = await benchEvaluator(database, seeded, opts)
  if (evaluator.result.sql.disagreements) failures.push(`evaluator and SQL disagree on ${evaluator.result.sql.disagreements} of ${evaluator.result.sql.calls} checks`)
  if (evaluator.result.prototype.disagreements) failures.push(`the cached prototype disagrees with the evaluator on ${evaluator.result.prototype.disagreements} cases`)

  log(`${target}: measuring ${shapes.length} use-case shapes × ${opts.runs} runs, interleaved`)
  const measureStart = performance.now()
  const samples = await interleaved([() => floorTransaction(database), ...shapes.map((s) => s.run)], opts.runs, opts.warmup, opts.budgetMs, Math.min(10, opts.runs))
  const measureMs = performance.now() - measureStart
  const floor = stats(samples[0])
  const results: ShapeResult[] = shapes.map((s, i) => ({ id: s.id, label: s.label, stats: stats(samples[i + 1]), target: s.id.startsWith('who-') && s.id.endsWith('first') ? TARGET_WHO_P95_MS : undefined }))
  for (const r of results) log(`  ${r.label}: p50 ${ms(r.stats.p50)} p95 ${ms(r.stats.p95)} p99 ${ms(r.stats.p99)} max ${ms(r.stats.max)} ms`)
  const loadAfter = loadavg()

  const plans: string[] = [`==== Evaluator baseline: the prepared SQL check\n${evaluator.plan}`]
  if (opts.plans) {
    log(`${target}: EXPLAIN (ANALYZE, BUFFERS)`)
    for (const [i, s] of shapes.entries()) {
      if (!s.explain) continue
      const all = await explainAll(database, s.run)
      results[i].statements = all.statements
      results[i].dbMs = all.executionMs
      const page = s.id.startsWith('who-') ? await explainAll(database, s.run, (text) => /from "users" u/.test(text)) : null
      plans.push(
        page
          ? `==== ${s.label} — the page query (name-order walk, and the fallback when it ran); ${all.statements} statements in the call, ${all.executionMs.toFixed(2)} ms server execution in total\n${page.text}`
          : `==== ${s.label} — every statement of one call (${all.statements}), ${all.executionMs.toFixed(2)} ms server execution in total\n${all.text}`,
      )
    }
  }

  log(`${target}: a role or group change, then the very next check`)
  const freshness = await verifyFreshness(seeded, admin)
  failures.push(...freshness.failures)
  installDatabase(undefined)

  // Report
  const date = new Date().toISOString()
  const machine = machineInfo()
  const ev = evaluator.result
  const us = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2))
  const yes = (ok: boolean) => (ok ? 'yes' : '**no**')
  const lines: string[] = []
  lines.push(`## Access model — ${target}, ${opts.users.toLocaleString('en')} users`)
  lines.push('')
  lines.push(`Recorded ${date}. ${bench.note}.`)
  lines.push('')
  lines.push(`* Code: commit ${codeVersion} (at process start)`)
  lines.push(`* Machine: ${machine.cpu}; ${machine.os}; Node ${machine.node}`)
  lines.push(`* Server: ${serverVersion}`)
  lines.push(`* Load average (1/5/15 min): before start ${loadBefore}; before measuring ${loadMeasure}; after measuring ${loadAfter} (other jobs share this machine: these are not quiet-machine numbers)`)
  lines.push(`* Memory (free -g):\n\n\`\`\`\n${machine.memory}\n\`\`\`\n`)
  const z = seeded.sizes
  lines.push(
    `* Dataset: ${Number(z.users).toLocaleString('en')} users (${z.members} members, ${z.end_users} end-users); ${z.apps} apps, ${z.app_role_instances} application role instances; ${z.role_assignments} organization role grants; ${z.end_user_role_assignments} direct application role grants; ${z.groups} groups with ${z.group_members} memberships; the big app has ${Number(z.big_prd_end_user_holders).toLocaleString('en')} end-user holders in PRD; database ${z.database_size}`,
  )
  lines.push(`* Seeding: ${(seedMs / 1000).toFixed(1)} s — ${Object.entries(seeded.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join('; ')}`)
  lines.push(`* Stack floor (BEGIN + 3 × \`select 1\` + COMMIT through drizzle + pg, interleaved with the use cases): p50 ${ms(floor.p50)}, p95 ${ms(floor.p95)}, p99 ${ms(floor.p99)} ms.`)
  for (const note of notes) lines.push(`* ${note}`)
  lines.push('')
  lines.push(`### 1. Evaluator: in-process \`check()\` vs a prepared SQL join`)
  lines.push('')
  lines.push(
    `Principal: ${ev.principal.grants} grants (1 organization role “Developer”, ${ev.principal.appGrants} app roles over 5 custom roles with mixed stage limits, one scheduled, one expired, one in an active window), ${ev.principal.permissionsGranted} granted permission rows. Mix: ${ev.mix.cases} seeded checks over every permission (60 % app-scope ones), the principal's apps, an app they have no role for and no app, every stage or none; ${(ev.mix.allowedShare * 100).toFixed(0)} % allowed. In-process: \`check(principal, catalogue, slug, target, now)\` of lib/authz/evaluate.ts on the principal loaded by \`loadUserPrincipal\`, ${ev.inProcess.checks.toLocaleString('en')} calls in a loop for throughput, ${ev.inProcess.perCall.runs.toLocaleString('en')} calls timed one by one (process.hrtime) for the percentiles. SQL: the statement of bench/lib/sql-check.ts as a named prepared statement through the portal's pg pool, ${ev.sql.calls.toLocaleString('en')} sequential calls; every answer was compared with the evaluator's (${ev.sql.disagreements} disagreements).`,
  )
  lines.push('')
  lines.push('| | checks/s | mean | p50 | p95 | p99 | max |')
  lines.push('|---|--:|--:|--:|--:|--:|--:|')
  lines.push(`| in-process \`check()\` (µs) | ${Math.round(ev.inProcess.checksPerSecond).toLocaleString('en')} | ${us(ev.inProcess.meanUs)} | ${us(ev.inProcess.perCall.p50)} | ${us(ev.inProcess.perCall.p95)} | ${us(ev.inProcess.perCall.p99)} | ${us(ev.inProcess.perCall.max)} |`)
  lines.push(`| timer floor (empty call, µs) | | | ${us(ev.inProcess.timerFloorUs.p50)} | ${us(ev.inProcess.timerFloorUs.p95)} | ${us(ev.inProcess.timerFloorUs.p99)} | |`)
  lines.push(`| prepared SQL check through pg (µs) | ${Math.round(ev.sql.checksPerSecond).toLocaleString('en')} | ${us((1e6 / ev.sql.checksPerSecond))} | ${us(ev.sql.perCallMs.p50 * 1000)} | ${us(ev.sql.perCallMs.p95 * 1000)} | ${us(ev.sql.perCallMs.p99 * 1000)} | ${us(ev.sql.perCallMs.max * 1000)} |`)
  lines.push(`| prototype, bench only: conferred permissions cached per principal (µs) | ${Math.round(ev.prototype.checksPerSecond).toLocaleString('en')} | ${us(1e6 / ev.prototype.checksPerSecond)} | ${us(ev.prototype.perCall.p50)} | ${us(ev.prototype.perCall.p95)} | ${us(ev.prototype.perCall.p99)} | ${us(ev.prototype.perCall.max)} |`)
  lines.push(`| SQL check, server execution only (µs, best of 5 EXPLAIN ANALYZE) | | | ${us(ev.sql.serverMs * 1000)} | | | |`)
  lines.push('')
  lines.push(
    `In-process ÷ SQL: **${ev.speedupP50.toFixed(0)}× faster at p50** (${ev.speedupMean.toFixed(0)}× on mean throughput; ${((ev.sql.serverMs * 1000) / ev.inProcess.perCall.p50).toFixed(0)}× against the SQL server execution time alone). Targets: p50 ≤ ${TARGET_CHECK_P50_US} µs — ${yes(ev.inProcess.perCall.p50 <= TARGET_CHECK_P50_US)}; ≥ ${TARGET_SPEEDUP}× faster than SQL — ${yes(ev.speedupP50 >= TARGET_SPEEDUP)}.`,
  )
  lines.push('')
  lines.push(
    `The prototype row (bench/lib/compiled-check.ts, not product code) gives the same answers (${ev.prototype.disagreements} disagreements over the ${ev.mix.cases} cases) with each grant's conferred permissions computed once per principal (${us(ev.prototype.compileUs)} µs, once per request) instead of on every check: p50 ${us(ev.prototype.perCall.p50)} µs, ${((ev.sql.perCallMs.p50 * 1000) / ev.prototype.perCall.p50).toFixed(0)}× faster than the SQL check at p50.`,
  )
  lines.push('')
  lines.push(`### 2. Use cases (wall time, ms)`)
  lines.push('')
  lines.push(
    `Each call is the real use case with an Administrator's request context (a fresh context per call, so the administrator's own grants are loaded each time, as on a page request): one transaction through drizzle and pg. Up to ${opts.runs} runs per shape after ${opts.warmup} warm-up rounds, all shapes interleaved round-robin with the stack floor; measuring took ${(measureMs / 1000).toFixed(0)} s. "DB ms" is the server execution time of every statement of one call (sum of the best of 4 EXPLAIN ANALYZE runs each; plans in access-plans-${target}.md).`,
  )
  lines.push('')
  lines.push('| shape | runs | p50 | p95 | p99 | max | statements | DB ms | target |')
  lines.push('|---|--:|--:|--:|--:|--:|--:|--:|:-:|')
  for (const r of results)
    lines.push(
      `| ${r.label} | ${r.stats.runs} | ${ms(r.stats.p50)} | ${ms(r.stats.p95)} | ${ms(r.stats.p99)} | ${ms(r.stats.max)} | ${r.statements ?? '–'} | ${r.dbMs !== undefined ? ms(r.dbMs) : '–'} | ${r.target ? `p95 ≤ ${r.target} ms: ${yes(r.stats.p95 <= r.target)}` : '–'} |`,
    )
  lines.push('')
  lines.push(`### 3. A role or group change is visible to the very next check`)
  lines.push('')
  lines.push('Each line is `checkAccess` (lib/access/check-access.ts) called right after the change, with no wait and no cache to clear:')
  lines.push('')
  for (const s of freshness.steps) lines.push(`* ${s}`)
  lines.push('')
  if (failures.length) lines.push(`**Correctness checks failed:**`, '', ...failures.map((f) => `* ${f}`))
  else
    lines.push(
      'All correctness checks passed: the evaluator and the SQL check agreed on every call; the Effective permissions page lists the organization role, 20 app roles (with their scheduled and expired states) and every end-user role with its group; every who-has-access page is full, in name order, says how each user has access and does not repeat an earlier page; walking the sparse app lists every holder once; every change was visible to the next check.',
    )
  const report = lines.join('\n') + '\n'
  writeFileSync(path.join(resultsDir, `access-${target}.md`), report)
  writeFileSync(
    path.join(resultsDir, `access-${target}.json`),
    JSON.stringify(
      { date, commit: codeVersion, target, serverVersion, options: { ...opts, adminUrl: undefined }, loadBefore, loadMeasure, loadAfter, nproc: os.cpus().length, sizes: seeded.sizes, seeding: { totalMs: seedMs, ...seeded.timings }, floor, evaluator: ev, useCases: results, freshness: freshness.steps, notes, failures },
      null,
      2,
    ) + '\n',
  )
  if (opts.plans || plans.length)
    writeFileSync(
      path.join(resultsDir, `access-plans-${target}.md`),
      `# Access benchmark plans — ${target}\n\nEXPLAIN (ANALYZE, BUFFERS), ${date}, ${opts.users.toLocaleString('en')} users, ${serverVersion}.\n\n${plans.map((p) => { const [head, ...rest] = p.split('\n'); return `## ${head.replace(/^==== /, '')}\n\n\`\`\`\n${rest.join('\n')}\n\`\`\`` }).join('\n\n')}\n`,
    )
  if (failures.length) process.exitCode = 1
  return report
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  mkdirSync(resultsDir, { recursive: true })
  if (opts.waitBench) {
    const waited = await waitForOtherBenchmark('bench/users-list', opts.waitBenchMaxS)
    if (waited > 1) log(`waited ${waited.toFixed(0)} s for bench/users-list to finish`)
  }
  log(`load average at start ${loadavg()}; nproc ${os.cpus().length}; targets ${opts.targets.join(', ')}`)
  const reports: string[] = []
  for (const target of opts.targets) {
    const bench = target === 'postgres' ? await openPostgres(opts.adminUrl, opts.keep) : await openPglite(opts.keep)
    let closing = false
    const close = async () => {
      if (closing) return
      closing = true
      await bench.database.close()
    }
    const onSignal = () => void close().finally(() => process.exit(130))
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    try {
      reports.push(await benchTarget(opts, bench))
    } finally {
      await close()
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
  console.log(reports.join('\n'))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
