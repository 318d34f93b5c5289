/**
 * Identity API users page: an authenticated `GET /api/identity/v1/users` at N users (issue 5).
 *
 *   node --conditions=react-server --import tsx bench/api-users.ts [--users 1000000] [--runs 200]
 *
 * Options: --users N (1,000,000), --runs R (200 per shape), --warmup W (10 rounds), --budget-ms T
 *   (180,000) and --min-runs M (30): a measurement that has used T ms and has M samples sits out
 *   the remaining rounds, so that the deep offsets (seconds a call at 1 M users) do not take hours;
 *   every call under T / R ms still gets its R runs; --budget-ms 0 gives every shape all R runs,
 *   --pool P (10, the portal's pool size), --no-plans,
 *   --keep (do not drop the database), --wait-load L / --wait-max-s S (wait up to S s for the
 *   1-minute load average to drop to L), --no-wait-bench (do not wait for another benchmark).
 * Environment: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres).
 *
 * On a fresh PostgreSQL database (bench/lib/harness.ts): migrations, setup (organization, stages,
 * built-in roles, an administrator), N users from the users-list seed (bench/lib/seed-users.ts),
 * application roles for every end-user (4 apps × 2 roles × 3 stages, one direct role each, an eighth
 * with a second one, a tenth in one of 12 groups), the organization's API rate limit lifted to
 * 100,000,000 a minute, two API clients (users.manage; users.view_members + endusers.view), VACUUM
 * ANALYZE. Then, interleaved round-robin, one caller:
 * - the route: `GET` of app/api/identity/v1/users/route.ts called in this process with
 *   `new Request(url, { headers: { authorization: 'Bearer …' } })` and its body read — bearer
 *   parsing, ES256 verification, the client's state, rate-limit accounting (an upsert), the query
 *   parsing, the use case's transaction, the mapping and the JSON: the server time without socket;
 * - the use case alone: `queryUsersPage` (with embedded roles read for the whole page, as the
 *   route asks for them) with a fresh request context of the same client;
 * - three floors: authentication alone, the rate-limit upsert alone, and an empty transaction.
 * Every shape's first answer is checked (status, rows, filters, order) before measuring; the
 * statements of every use-case call are EXPLAINed (ANALYZE, BUFFERS) afterwards.
 * Results: bench/results/api-users-postgres.{md,json} and api-users-plans-postgres.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'

// Before anything reads the configuration: the handler logs one line per request.
process.env.LOG_LEVEL = 'error'

import { sql } from 'drizzle-orm'
import { getDb, installDatabase, type Database } from '@/db/client'
import { migrateDatabase } from '@/db/migrate'
import { appRoleInstances, appRoles, apps, appStages, stages } from '@/db/schema'
import { authenticateApiRequest } from '@/lib/api/authenticate'
import { queryUsersParams, toUserFilters } from '@/lib/api/identity/users'
import { issueClientToken } from '@/lib/api/issue-client-token'
import { parseQuery, querySchema } from '@/lib/api/query'
import { takeApiRequest } from '@/lib/api/rate-limit'
import { insertApiClient, type TestApiClient } from '@/lib/api/testing'
import { now } from '@/lib/clock'
import { systemCtx, type Ctx } from '@/lib/context'
import { runSetup } from '@/lib/setup/run-setup'
import { queryUsersPage } from '@/lib/users/query-users'
import { GET as listUsersRoute } from '@/app/api/identity/v1/users/route'
import { codeVersion, explainAll, interleaved, loadavg, log, machineInfo, ms, openPostgres, parseFlags, resultsDir, stats, waitForOtherBenchmark, waitForQuiet, type Stats } from './lib/harness'
import { seed, type SeedReport } from './lib/seed-users'

function parseArgs(argv: string[]) {
  const { args, int } = parseFlags(argv)
  const opts = {
    users: int('users', 1_000_000),
    runs: Math.max(1, int('runs', 200)),
    warmup: int('warmup', 10),
    budgetMs: int('budget-ms', 180_000),
    minRuns: Math.max(1, int('min-runs', 30)),
    pool: Math.max(2, int('pool', 10)),
    plans: !args.has('no-plans'),
    keep: args.has('keep'),
    waitLoad: Number(args.get('wait-load') ?? 0),
    waitMaxS: int('wait-max-s', 600),
    waitBench: !args.has('no-wait-bench'),
    adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  }
  if (opts.users < 1000) throw new Error('--users must be at least 1000')
  return opts
}
type Options = ReturnType<typeof parseArgs>

const TARGET_P95_MS = 50
const PAGE = 100
const BASE = 'http://localhost:3000/api/identity/v1/users'
// The route's own query schema (app/api/identity/v1/users/route.ts), to hand the use case the same input.
const usersQuery = querySchema(queryUsersParams, { exclusive: [['environmentKey', 'environmentKeys']] })

// ---------------------------------------------------------------------------------------------
// Application roles of the end-users

const CODES = ['DEV', 'QA', 'PRD'] as const
const APPS = ['Payroll', 'Helpdesk', 'Travel', 'Intranet']
const GROUPS_PER_STAGE = 4

type AppRoleSeed = { ms: number; instances: number; direct: number; groups: number; memberships: number }

/**
 * Every end-user gets one direct application role (hashed from the key over all 24 instances), one
 * in eight a second one, one in ten a membership of one of 12 groups (each granting two roles of
 * its stage): what `embed=applicationRoles` reads, and `is_end_user` true to its name.
 */
async function seedApplicationRoles(database: Database): Promise<AppRoleSeed> {
  const start = performance.now()
  const { db, pool } = database
  const stageRows = await db.select({ key: stages.key, code: stages.code }).from(stages)
  const stageKey = Object.fromEntries(stageRows.map((s) => [s.code, s.key])) as Record<(typeof CODES)[number], string>
  const byStage: Record<string, string[]> = { DEV: [], QA: [], PRD: [] }
  for (const name of APPS) {
    const [app] = await db.insert(apps).values({ name }).returning({ key: apps.key })
    await db.insert(appStages).values(CODES.map((c) => ({ appKey: app.key, stageKey: stageKey[c] })))
    for (const roleName of ['User', 'Manager']) {
      const [role] = await db.insert(appRoles).values({ appKey: app.key, name: `${name} ${roleName}`, claimName: roleName.toLowerCase() }).returning({ key: appRoles.key })
      const rows = await db
        .insert(appRoleInstances)
        .values(CODES.map((c) => ({ appRoleKey: role.key, appKey: app.key, stageKey: stageKey[c] })))
        .returning({ key: appRoleInstances.key, stageKey: appRoleInstances.stageKey })
      for (const c of CODES) byStage[c].push(rows.find((r) => r.stageKey === stageKey[c])!.key)
    }
  }
  const instances = CODES.flatMap((c) => byStage[c])
  const h = (seed: number) => `(hashtextextended(key::text, ${seed}) & 2147483647)`
  const m = instances.length
  // The second role is another instance than the first: (a + 1 + b mod (m − 1)) mod m ≠ a.
  const direct = await pool.query(
    `insert into end_user_role_assignments (user_key, instance_key)
     select key, ($1::uuid[])[1 + ${h(1)} % ${m}] from users where is_end_user
     union all
     select key, ($1::uuid[])[1 + (${h(1)} % ${m} + 1 + ${h(2)} % ${m - 1}) % ${m}] from users where is_end_user and ${h(3)} % 8 = 0`,
    [instances],
  )
  const groupKeys: string[] = []
  for (const c of CODES)
    for (let g = 0; g < GROUPS_PER_STAGE; g++) {
      const { rows } = await pool.query<{ key: string }>(`insert into groups (stage_key, name) values ($1, $2) returning key`, [stageKey[c], `${c} team ${g + 1}`])
      groupKeys.push(rows[0].key)
      const granted = [byStage[c][(2 * g) % byStage[c].length], byStage[c][(2 * g + 3) % byStage[c].length]]
      for (const instanceKey of granted) await pool.query(`insert into group_roles (group_key, instance_key) values ($1, $2)`, [rows[0].key, instanceKey])
    }
  const members = await pool.query(`insert into group_members (group_key, user_key) select ($1::uuid[])[1 + ${h(5)} % ${groupKeys.length}], key from users where is_end_user and ${h(4)} % 10 = 0`, [groupKeys])
  return { ms: performance.now() - start, instances: m, direct: direct.rowCount ?? 0, groups: groupKeys.length, memberships: members.rowCount ?? 0 }
}

// ---------------------------------------------------------------------------------------------
// Shapes

type Body = {
  results: Array<{ key: string; name: string | null; email: string | null; status: string; lastLoginAt: string | null; access: { hasOrganizationRoles: boolean; hasApplicationRoles: boolean }; _embedded?: { applicationRoles?: unknown[] } }>
  page: { count: number; limit: number; offset: number; totalResults: number | null; nextPageOffset: number | null }
}

type Shape = {
  id: string
  label: string
  query: string
  client: 'manager' | 'viewer'
  check: (body: Body) => string | undefined
}

const fullPage = (b: Body) => (b.results.length === PAGE ? undefined : `expected ${PAGE} results, got ${b.results.length}`)
const all = (what: string, ok: (r: Body['results'][number]) => boolean) => (b: Body) => fullPage(b) ?? (b.results.every(ok) ? undefined : `a result is not ${what}`)

async function buildShapes(database: Database, visibleToManager: number): Promise<Shape[]> {
  const q = async <T>(text: string, values: unknown[] = []) => (await database.pool.query(text, values)).rows as T[]
  // A rare term: the local part of one e-mail address (it ends with the row number, so it is nearly unique).
  const [rare] = await q<{ email: string }>(`select email from users where email is not null order by created_at offset $1 limit 1`, [Math.floor(visibleToManager / 3)])
  const rareTerm = rare.email.slice(0, rare.email.indexOf('@') + 1)
  const keys = (await q<{ key: string }>(`select key from users order by key offset $1 limit 20`, [Math.floor(visibleToManager / 7)])).map((r) => r.key)
  const lastOffset = Math.max(0, visibleToManager - PAGE)
  const middle = Math.floor(visibleToManager / 2 / PAGE) * PAGE
  const time = (r: Body['results'][number]) => (r.lastLoginAt === null ? -Infinity : Date.parse(r.lastLoginAt))
  return [
    { id: 'first', label: 'first page, defaults (sort name, limit 100)', query: '', client: 'manager', check: fullPage },
    {
      id: 'sort-last-login-desc',
      label: 'sort=-lastLoginAt',
      query: 'sort=-lastLoginAt',
      client: 'manager',
      check: (b) => fullPage(b) ?? (b.results.every((r, i) => i === 0 || time(b.results[i - 1]) >= time(r)) ? undefined : 'not in descending lastLoginAt order'),
    },
    { id: 'sort-email', label: 'sort=email', query: 'sort=email', client: 'manager', check: fullPage },
    { id: 'status-inactive', label: 'status=Inactive', query: 'status=Inactive', client: 'manager', check: all('Inactive', (r) => r.status === 'Inactive') },
    { id: 'domain', label: 'domains=gmail.com', query: 'domains=gmail.com', client: 'manager', check: all('at gmail.com', (r) => (r.email ?? '').toLowerCase().endsWith('@gmail.com')) },
    { id: 'has-app-roles', label: 'hasApplicationRoles=true', query: 'hasApplicationRoles=true', client: 'manager', check: all('an end-user', (r) => r.access.hasApplicationRoles) },
    {
      id: 'search-common',
      label: 'nameOrEmailContains=smith (common surname)',
      query: 'nameOrEmailContains=smith',
      client: 'manager',
      check: all('a "smith"', (r) => `${r.name ?? ''} ${r.email ?? ''}`.toLowerCase().includes('smith')),
    },
    {
      id: 'search-rare',
      label: `nameOrEmailContains=${rareTerm} (part of one e-mail)`,
      query: `nameOrEmailContains=${encodeURIComponent(rareTerm)}`,
      client: 'manager',
      check: (b) => (b.results.some((r) => r.email === rare.email) ? undefined : `expected ${rare.email} among ${b.results.length} results`),
    },
    { id: 'offset-5000', label: 'offset=5000', query: 'offset=5000', client: 'manager', check: (b) => fullPage(b) ?? (b.page.offset === 5000 ? undefined : 'wrong page.offset') },
    { id: 'offset-middle', label: `offset=${middle} (the middle)`, query: `offset=${middle}`, client: 'manager', check: fullPage },
    {
      id: 'offset-last',
      label: `offset=${lastOffset} (the last page)`,
      query: `offset=${lastOffset}`,
      client: 'manager',
      check: (b) => fullPage(b) ?? (b.page.nextPageOffset === null ? undefined : 'the last page has a nextPageOffset'),
    },
    {
      id: 'offset-max',
      label: 'offset=2147483647 (the largest offset accepted)',
      query: 'offset=2147483647',
      client: 'manager',
      check: (b) => (b.results.length === 0 && b.page.nextPageOffset === null ? undefined : `expected an empty page, got ${b.results.length} results`),
    },
    {
      id: 'embed',
      label: 'embed=applicationRoles',
      query: 'embed=applicationRoles',
      client: 'manager',
      check: (b) =>
        fullPage(b) ??
        (b.results.every((r) => Array.isArray(r._embedded?.applicationRoles)) && b.results.some((r) => r._embedded!.applicationRoles!.length > 0) ? undefined : 'applicationRoles not embedded, or all empty'),
    },
    {
      id: 'user-keys',
      label: 'userKeys with 20 keys',
      query: `userKeys=${keys.join(',')}`,
      client: 'manager',
      check: (b) => (b.results.length === 20 && b.results.every((r) => keys.includes(r.key)) ? undefined : `expected the 20 users, got ${b.results.length}`),
    },
    {
      id: 'viewer-first',
      label: 'first page, client with users.view_members + endusers.view (visibility filter)',
      query: '',
      client: 'viewer',
      check: all('a member or an end-user', (r) => r.access.hasOrganizationRoles || r.access.hasApplicationRoles),
    },
  ]
}

// ---------------------------------------------------------------------------------------------
// Run

type ShapeResult = { id: string; label: string; query: string; client: string; results: number; totalResults: number | null; bytes: number; route: Stats; useCase: Stats; dbMs?: number; statements?: number }

async function run(opts: Options) {
  const bench = await openPostgres(opts.adminUrl, opts.keep, opts.pool)
  const { database } = bench
  try {
    const serverVersion = ((await database.pool.query('select version() as v')).rows[0] as { v: string }).v
    await migrateDatabase(database.pool)
    installDatabase(database)
    await runSetup({ actor: null, ip: '127.0.0.1', userAgent: 'bench' }, { organizationName: 'Bench Org', name: 'Bench Admin', email: 'admin@bench.test', password: 'Bench-Password-2026' })
    log(`seeding ${opts.users.toLocaleString('en')} users`)
    const seeded: SeedReport = await seed(database, 'postgres', opts.users)
    log('application roles of the end-users')
    const appRoleSeed = await seedApplicationRoles(database)
    log(`  ${appRoleSeed.direct.toLocaleString('en')} direct roles, ${appRoleSeed.memberships.toLocaleString('en')} group memberships: ${(appRoleSeed.ms / 1000).toFixed(1)} s`)
    // The bench sends far more than the default 100 requests a minute; lift the organization's limit
    // so that every request is counted as usual but none is refused.
    await database.pool.query('update organizations set api_rate_limit = 100000000')
    const manager = await insertApiClient({ name: 'Bench manager', permissions: [{ slug: 'users.manage' }] })
    const viewer = await insertApiClient({ name: 'Bench viewer', permissions: [{ slug: 'users.view_members' }, { slug: 'endusers.view' }] })
    const t = performance.now()
    await database.pool.query('vacuum analyze')
    await database.pool.query('checkpoint')
    log(`vacuum analyze + checkpoint: ${((performance.now() - t) / 1000).toFixed(1)} s`)

    const sizes = (
      await database.pool.query(`select
        (select count(*) from users)::int as users,
        (select count(*) from users where status = 'Inactive')::int as inactive,
        (select count(*) from users where is_member)::int as members,
        (select count(*) from users where is_end_user)::int as end_users,
        (select count(*) from end_user_role_assignments)::int as direct_roles,
        (select count(*) from group_members)::int as group_members,
        pg_size_pretty(pg_table_size('users')) as table_size,
        pg_size_pretty(pg_indexes_size('users')) as index_size,
        pg_size_pretty(pg_database_size(current_database())) as database_size`)
    ).rows[0] as Record<string, string | number>

    const ctxOf = async (client: TestApiClient) => {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret })
      const token = (await issueClientToken(systemCtx('bench', { ip: '127.0.0.1', userAgent: 'bench' }), form)).access_token
      const authenticated = await authenticateApiRequest(new Request(BASE, { headers: { authorization: `Bearer ${token}` } }))
      // A request context without the principal a previous call loaded, as each request starts.
      const fresh = (): Ctx => ({ actor: authenticated.actor, ip: authenticated.ip, userAgent: authenticated.userAgent })
      return { token, fresh }
    }
    const clients = { manager: await ctxOf(manager), viewer: await ctxOf(viewer) }

    const shapes = await buildShapes(database, Number(sizes.users))
    const failures: string[] = []
    const request = (shape: Shape) => new Request(shape.query ? `${BASE}?${shape.query}` : BASE, { headers: { authorization: `Bearer ${clients[shape.client].token}` } })
    const viaRoute = async (shape: Shape) => {
      const response = await listUsersRoute(request(shape), { params: Promise.resolve({}) })
      const text = await response.text()
      if (response.status !== 200) throw new Error(`${shape.label}: the route answered ${response.status}: ${text.slice(0, 300)}`)
      return text
    }
    const useCases = shapes.map((shape) => {
      const q = parseQuery(usersQuery, new URLSearchParams(shape.query))
      const embed = (q.embed ?? []).includes('ApplicationRoles')
      return async () => {
        const ctx = clients[shape.client].fresh()
        return queryUsersPage(ctx, { offset: q.offset, limit: q.limit, sort: q.sort, filters: toUserFilters(q), applicationRoles: embed })
      }
    })

    // Checks before measuring: every answer as expected, and the use case gives the route's page.
    const firstAnswers = new Map<string, { body: Body; bytes: number }>()
    for (const [i, shape] of shapes.entries()) {
      const text = await viaRoute(shape)
      const body = JSON.parse(text) as Body
      firstAnswers.set(shape.id, { body, bytes: Buffer.byteLength(text) })
      const problem = shape.check(body)
      if (problem) failures.push(`${shape.label}: ${problem}`)
      const page = await useCases[i]()
      if (page.rows.map((r) => r.key).join() !== body.results.map((r) => r.key).join() || page.total !== body.page.totalResults) failures.push(`${shape.label}: the use case alone gave another page than the route`)
    }
    const rateRow = (await database.pool.query(`select sum(count)::int as n from rate_limit_windows where bucket = 'identity'`)).rows[0] as { n: number | null }
    if (!rateRow.n) failures.push('no request was counted in the identity rate-limit bucket')
    const limitHeader = (await listUsersRoute(request(shapes[0]), { params: Promise.resolve({}) })).headers.get('RateLimit-Limit')
    if (limitHeader !== '100000000') failures.push(`RateLimit-Limit was ${limitHeader}, not the lifted 100000000`)

    // Floors: what every request pays before its operation (authentication, then the rate-limit
    // upsert, which commits on its own), and an empty transaction.
    const authenticate = () => authenticateApiRequest(request(shapes[0]))
    const rateLimit = async () => takeApiRequest(await getDb(), { buckets: ['identity'], now: now() })
    const emptyTransaction = () => database.db.transaction(async (tx) => void (await tx.execute(sql`select 1`)))

    await waitForQuiet(opts.waitLoad, opts.waitMaxS)
    const loadMeasure = loadavg()
    log(`measuring ${shapes.length} shapes × (route, use case) × ${opts.runs} runs, interleaved (load average ${loadMeasure})`)
    const measureStart = performance.now()
    const fns = [emptyTransaction, authenticate, rateLimit, ...shapes.map((shape) => () => viaRoute(shape)), ...useCases]
    const budget = opts.budgetMs || Number.POSITIVE_INFINITY
    const samples = await interleaved(fns, opts.runs, opts.warmup, budget, Math.min(opts.minRuns, opts.runs))
    const measureMs = performance.now() - measureStart
    const loadAfter = loadavg()
    log(`measured in ${(measureMs / 1000).toFixed(0)} s (load average ${loadAfter})`)

    const results: ShapeResult[] = shapes.map((shape, i) => {
      const first = firstAnswers.get(shape.id)!
      return {
        id: shape.id,
        label: shape.label,
        query: shape.query.length > 120 ? `${shape.query.slice(0, 117)}…` : shape.query,
        client: shape.client,
        results: first.body.results.length,
        totalResults: first.body.page.totalResults,
        bytes: first.bytes,
        route: stats(samples[3 + i]),
        useCase: stats(samples[3 + shapes.length + i]),
      }
    })
    for (const r of results) log(`  ${r.label}: route p50 ${ms(r.route.p50)} p95 ${ms(r.route.p95)} ms | use case p50 ${ms(r.useCase.p50)} p95 ${ms(r.useCase.p95)} ms`)

    const plans: string[] = []
    if (opts.plans) {
      log('EXPLAIN (ANALYZE, BUFFERS) of every use-case statement')
      for (const [i, r] of results.entries()) {
        const explained = await explainAll(database, useCases[i])
        r.dbMs = explained.executionMs
        r.statements = explained.statements
        const text = explained.text.length > 40_000 ? `${explained.text.slice(0, 40_000)}\n… (${explained.statements} statements in all; the rest cut)` : explained.text
        plans.push(`## ${r.label}\n\nServer execution ${explained.executionMs.toFixed(2)} ms over ${explained.statements} statements.\n\n\`\`\`\n${text}\n\`\`\``)
      }
    }
    return {
      note: bench.note,
      serverVersion,
      sizes,
      seeded,
      appRoleSeed,
      loadMeasure,
      loadAfter,
      measureMs,
      floors: { emptyTransaction: stats(samples[0]), authenticate: stats(samples[1]), rateLimit: stats(samples[2]) },
      results,
      plans,
      failures,
    }
  } finally {
    installDatabase(undefined)
    await database.close()
  }
}

type Result = Awaited<ReturnType<typeof run>>

function report(opts: Options, r: Result, loadBefore: string, date: string): string {
  const machine = machineInfo()
  const n = (v: number | string) => Number(v).toLocaleString('en')
  const first = r.results.find((x) => x.id === 'first')!
  const misses = r.results.filter((x) => x.route.p95 >= TARGET_P95_MS)
  const rows = r.results.map(
    (x) =>
      `| ${x.label} | ${x.results} | ${x.totalResults === null ? '–' : n(x.totalResults)} | ${n(x.bytes)} | ${x.route.runs} / ${x.useCase.runs} | ${ms(x.route.p50)} | **${ms(x.route.p95)}** | ${ms(x.route.p99)} | ${ms(x.route.max)} | ${ms(x.useCase.p50)} | ${ms(x.useCase.p95)} | ${ms(x.useCase.p99)} | ${ms(x.route.p50 - x.useCase.p50)} | ${x.dbMs === undefined ? '–' : `${ms(x.dbMs)} (${x.statements})`} | ${x.route.p95 < TARGET_P95_MS ? 'yes' : '**no**'} |`,
  )
  const f = r.floors
  return `# Identity API users page — postgres, ${n(r.sizes.users)} users

${date} · code ${codeVersion} · ${r.note} · ${r.serverVersion}
Machine: ${machine.cpu}; ${machine.os}; Node ${machine.node}. Load average (1/5/15 min) before start ${loadBefore}; before measuring ${r.loadMeasure}; after ${r.loadAfter}.
pg pool of ${opts.pool} connections (the portal's default is 10).

* Data set: ${n(r.sizes.users)} users (${n(r.sizes.inactive)} Inactive; ${n(r.sizes.members)} members; ${n(r.sizes.end_users)} end-users), ${n(r.sizes.direct_roles)} direct application roles over ${r.appRoleSeed.instances} role instances, ${n(r.sizes.group_members)} memberships of ${r.appRoleSeed.groups} groups; users table ${r.sizes.table_size} + indexes ${r.sizes.index_size}; database ${r.sizes.database_size}. Seeded in ${((r.seeded.totalMs + r.appRoleSeed.ms) / 1000).toFixed(0)} s (users ${(r.seeded.totalMs / 1000).toFixed(0)} s, application roles ${(r.appRoleSeed.ms / 1000).toFixed(0)} s), then VACUUM ANALYZE.
* **The organization's API rate limit was lifted to 100,000,000 requests a minute** for the run: every request is still counted (one upsert in rate_limit_windows), none is refused.
* Clients: "manager" holds users.manage (sees every user: no visibility filter); "viewer" holds users.view_members and endusers.view in every stage (sees members and end-users: \`is_member or is_end_user\`).
* Runs: ${opts.runs} per measurement${opts.budgetMs ? ` (fewer, at least ${Math.min(opts.minRuns, opts.runs)}, when a measurement had used up ${opts.budgetMs / 1000} s: see the runs column)` : ''} after ${opts.warmup} warm-up rounds, one caller, every shape's route and use-case call interleaved round-robin. Measuring took ${(r.measureMs / 1000).toFixed(0)} s.
* Floors, interleaved with the shapes: \`authenticateApiRequest\` alone p50 ${ms(f.authenticate.p50)}, p95 ${ms(f.authenticate.p95)} ms; \`takeApiRequest\` (the rate-limit upsert, its own commit) alone p50 ${ms(f.rateLimit.p50)}, p95 ${ms(f.rateLimit.p95)} ms; a transaction with one \`select 1\` p50 ${ms(f.emptyTransaction.p50)}, p95 ${ms(f.emptyTransaction.p95)} ms.

Times in ms. **Route**: \`GET\` of app/api/identity/v1/users/route.ts called in this process with a \`Request\` carrying the bearer token, body read: ES256 verification and the client's state, rate-limit accounting, query parsing, the use case's transaction (page, and its total from the live counters or a capped count), mapping, JSON. No socket, no Next.js routing. **Use case**: \`queryUsersPage\` alone (with embedded roles when the shape asks for them) with a fresh request context. "Overhead" is route p50 − use case p50. "DB ms": server execution of the use case's statements (best of up to 4 EXPLAIN ANALYZE runs each, summed; plans in api-users-plans-postgres.md), with the number of statements. Target: route p95 < ${TARGET_P95_MS} ms.

| shape | results | totalResults | bytes | runs (route / use case) | route p50 | route p95 | route p99 | route max | use case p50 | use case p95 | use case p99 | overhead p50 | DB ms (statements) | p95 < ${TARGET_P95_MS} ms |
| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | :-: |
${rows.join('\n')}

First page with defaults: p50 ${ms(first.route.p50)} ms, p95 **${ms(first.route.p95)} ms** — target p95 < ${TARGET_P95_MS} ms ${first.route.p95 < TARGET_P95_MS ? '**met**' : '**missed**'}.
${misses.length ? `${misses.length} of ${r.results.length} shapes miss p95 < ${TARGET_P95_MS} ms: ${misses.map((m) => m.label).join('; ')}.` : `Every shape meets p95 < ${TARGET_P95_MS} ms.`}

## Checks
${r.failures.length ? r.failures.map((x) => `- FAILED: ${x}`).join('\n') : '- Every shape answered 200 with the expected page (full pages, filters honoured, descending lastLoginAt order, the rare term found its user, the 20 keys returned, an empty last page past the end, roles embedded; RateLimit-Limit 100000000 and the requests counted), and the use case alone returned the same page and total as the route.'}
`
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  if (opts.waitBench) await waitForOtherBenchmark('bench/(users-list|access|counts|tokens|api-users).ts', 3600)
  mkdirSync(resultsDir, { recursive: true })
  const loadBefore = loadavg()
  const result = await run(opts)
  const date = new Date().toISOString()
  const md = report(opts, result, loadBefore, date)
  writeFileSync(path.join(resultsDir, 'api-users-postgres.md'), md)
  const { plans, ...rest } = result
  writeFileSync(path.join(resultsDir, 'api-users-postgres.json'), JSON.stringify({ date, code: codeVersion, opts: { ...opts, adminUrl: undefined }, ...rest }, null, 2) + '\n')
  if (plans.length)
    writeFileSync(
      path.join(resultsDir, 'api-users-plans-postgres.md'),
      `# EXPLAIN (ANALYZE, BUFFERS) of the identity API users page — ${Number(result.sizes.users).toLocaleString('en')} users\n\n${date} · code ${codeVersion} · ${result.serverVersion}\n\n${plans.join('\n\n')}\n`,
    )
  console.log(md)
  process.exit(result.failures.length ? 1 : 0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
