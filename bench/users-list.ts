/**
 * Users list benchmark (perf-plan B2/B3, server side): the real `listUsers` use case at N users.
 *
 *   npm run bench -- --users 1000000 --target both --runs 200
 *
 * Options: --users N (1000000), --target pglite|postgres|both (both), --runs R (200),
 *   --pglite-users N (defaults to --users; lets `both` seed PGlite smaller),
 *   --baseline-runs B (15) and --baseline-budget-ms T (6000): the naive baseline is slow, so each
 *   baseline shape stops after B runs or T ms, whichever comes first (at least 3 runs),
 *   --budget-ms T (20000): likewise for our queries (at least 10 runs),
 *   --warmup W (10 rounds), --no-plans, --keep (do not drop the PostgreSQL database / PGlite data dir),
 *   --wait-load L (off): before measuring, wait up to --wait-max-s (600) for the 1-min load average ≤ L,
 *   --only GROUP (off): measure only one group of shapes (e.g. `search`) for a quick iteration; its
 *   report goes to users-list-<target>-<group>.md/.json and plans-<target>-<group>.txt instead.
 * Environment: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres).
 *
 * Each target gets a fresh database, migrations, a generate_series seed, VACUUM ANALYZE, then every
 * query shape is timed around `listUsers(systemCtx(), params)` — drizzle, the pg driver, the
 * transaction, the capped count and the role lookup included: the server time of the /users page.
 */
import { codeVersion, explainAll, interleaved, loadavg, log, machineInfo, ms, stats, type Stats } from './lib/harness'
import { seed } from './lib/seed-users'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo, Server } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import pg from 'pg'
import { connect, installDatabase, type Database, type Db } from '@/db/client'
import { migrateDatabase } from '@/db/migrate'
import { roleAssignments, roles, users, type UserStatus } from '@/db/schema'
import { systemCtx } from '@/lib/context'
import { listUsers, type UserPage } from '@/lib/users/list-users'
import { searchTrace } from '@/lib/users/search-page'
import type { ListUsersInput, UserSort } from '@/lib/users/schemas'
import { escapeLike } from '@/lib/validation'

// ---------------------------------------------------------------------------------------------
// Options

type TargetName = 'pglite' | 'postgres'

function parseArgs(argv: string[]) {
  const args = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) throw new Error(`Unexpected argument ${a}`)
    const [name, inline] = a.slice(2).split('=', 2)
    if (inline !== undefined) args.set(name, inline)
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) args.set(name, argv[++i])
    else args.set(name, 'true')
  }
  const int = (name: string, fallback: number) => {
    const raw = args.get(name)
    if (raw === undefined) return fallback
    const n = Number(raw.replace(/_/g, ''))
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number`)
    return Math.floor(n)
  }
  const target = args.get('target') ?? 'both'
  if (!['pglite', 'postgres', 'both'].includes(target)) throw new Error('--target must be pglite, postgres or both')
  const usersN = int('users', 1_000_000)
  const opts = {
    users: usersN,
    pgliteUsers: int('pglite-users', usersN),
    targets: (target === 'both' ? ['postgres', 'pglite'] : [target]) as TargetName[],
    runs: Math.max(1, int('runs', 200)),
    warmup: int('warmup', 10),
    baselineRuns: Math.max(1, int('baseline-runs', 15)),
    baselineBudgetMs: int('baseline-budget-ms', 6000),
    budgetMs: int('budget-ms', 20000),
    plans: !args.has('no-plans'),
    waitLoad: Number(args.get('wait-load') ?? 0),
    waitMaxS: int('wait-max-s', 600),
    keep: args.has('keep'),
    only: args.get('only'),
    adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  }
  if (opts.users < 1000 || opts.pgliteUsers < 1000) throw new Error('--users must be at least 1000')
  return opts
}

type Options = ReturnType<typeof parseArgs>

const PER_PAGE = 50
const TARGET_P95_MS = 20
const resultsDir = path.join(process.cwd(), 'bench', 'results')



// ---------------------------------------------------------------------------------------------
// Databases

type Bench = { target: TargetName; database: Database; note: string }

async function openPostgres(opts: Options): Promise<Bench> {
  const name = `gatehouse_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: opts.adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(opts.adminUrl)
  url.pathname = `/${name}`
  const drop = async () => {
    if (opts.keep) return log(`kept database ${name}`)
    const cleanup = new pg.Client({ connectionString: opts.adminUrl })
    await cleanup.connect()
    await cleanup.query(`drop database if exists ${name} with (force)`)
    await cleanup.end()
  }
  const database = connect({ connectionString: url.toString(), max: 4 }, drop)
  return { target: 'postgres', database, note: `fresh database ${name} on ${url.host}, dropped at the end` }
}

async function openPglite(opts: Options): Promise<Bench> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm')
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
  // A data directory on disk, like the embedded mode of the portal (db/embedded.ts): 1 M rows plus
  // nine indexes is ~1 GB, which an in-memory (MEMFS) instance would have to hold in the JS heap.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-pglite-'))
  const lite = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata'), extensions: { pg_trgm } })
  const server = new PGLiteSocketServer({ db: lite, port: 0, host: '127.0.0.1', maxConnections: 32 })
  await server.start()
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo
  const database = connect({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 4 }, async () => {
    await server.stop()
    await lite.close()
    if (opts.keep) log(`kept PGlite data directory ${dataDir}`)
    else rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    target: 'pglite',
    database,
    note: `PGlite (same defaults as db/embedded.ts) on a temporary data directory, in this process, behind PGLiteSocketServer on 127.0.0.1:${port}, reached through pg`,
  }
}

// ---------------------------------------------------------------------------------------------
// Seed: bench/lib/seed-users.ts (shared with bench/api-users.ts)

// ---------------------------------------------------------------------------------------------
// Query shapes

// Must match sortExpressions in lib/users/list-users.ts (the cursor is [expr::text, key]).
const sortSql: Record<UserSort, string> = {
  name: 'lower(name)',
  email: `lower(coalesce(email, ''))`,
  status: 'status',
  lastLogin: `coalesce(last_login_at, '-infinity'::timestamptz)`,
  created: 'created_at',
}
const sortExpr: Record<UserSort, SQL> = {
  name: sql`lower(${users.name})`,
  email: sql`lower(coalesce(${users.email}, ''))`,
  status: sql`${users.status}`,
  lastLogin: sql`coalesce(${users.lastLoginAt}, '-infinity'::timestamptz)`,
  created: sql`${users.createdAt}`,
}
const SORTS: UserSort[] = ['name', 'email', 'status', 'lastLogin', 'created']
const DIRS = ['asc', 'desc'] as const

const encodeCursor = (value: string, key: string) => Buffer.from(JSON.stringify([value, key])).toString('base64url')

type Filters = { q?: string; status?: UserStatus; kind?: 'member' | 'end-user' }
type Expect = (page: UserPage) => string | undefined

type Shape = {
  id: string
  group: 'first page' | 'page 101' | 'middle' | 'last page' | 'search' | 'filter'
  label: string
  params: ListUsersInput
  /** Naive twin: the same page by OFFSET (rows before it) with an exact count(*). */
  baseline: { sort: UserSort; dir: 'asc' | 'desc'; offset: number; filters: Filters }
  expect: Expect
}

const full: Expect = (p) => (p.rows.length === PER_PAGE ? undefined : `expected ${PER_PAGE} rows, got ${p.rows.length}`)
const lastPage: Expect = (p) => (p.rows.length === PER_PAGE && p.next === null ? undefined : `expected the last ${PER_PAGE} rows and no next cursor, got ${p.rows.length} rows, next=${p.next}`)

async function cursorAt(db: Db, sort: UserSort, dir: 'asc' | 'desc', offset: number): Promise<string> {
  const expr = sortSql[sort]
  const { rows } = await db.execute(sql.raw(`select (${expr})::text as v, key from users order by ${expr} ${dir}, key ${dir} offset ${offset} limit 1`))
  const row = rows[0] as { v: string; key: string } | undefined
  if (!row) throw new Error(`no row at offset ${offset} for ${sort} ${dir}`)
  return encodeCursor(row.v, row.key)
}

async function buildShapes(db: Db, n: number): Promise<{ shapes: Shape[]; notes: string[] }> {
  const shapes: Shape[] = []
  const notes: string[] = []

  // Walk 100 pages by `next` once (name asc) to check that constructed cursors equal real ones.
  let after: string | undefined
  for (let i = 0; i < 100; i++) {
    const page = await listUsers(systemCtx(), { sort: 'name', dir: 'asc', perPage: PER_PAGE, after })
    if (!page.next) throw new Error(`ran out of pages at page ${i + 1}`)
    after = page.next
  }
  const constructed = await cursorAt(db, 'name', 'asc', 100 * PER_PAGE - 1)
  if (constructed !== after) throw new Error(`constructed cursor ${constructed} differs from the walked one ${after}`)
  notes.push('Cursor check: the `next` cursor after walking 100 pages (name asc) equals the cursor constructed from SQL at offset 4,999.')

  const depths: { group: Shape['group']; offset: number }[] = [
    { group: 'page 101', offset: 100 * PER_PAGE },
    { group: 'middle', offset: Math.floor(n / 2) },
    { group: 'last page', offset: n - PER_PAGE },
  ]
  for (const sort of SORTS)
    for (const dir of DIRS)
      shapes.push({
        id: `first-${sort}-${dir}`,
        group: 'first page',
        label: `first page, sort ${sort} ${dir}`,
        params: { sort, dir, perPage: PER_PAGE },
        baseline: { sort, dir, offset: 0, filters: {} },
        expect: full,
      })
  for (const { group, offset } of depths)
    for (const sort of SORTS)
      for (const dir of DIRS) {
        // The cursor is the row just before the page, so the page starts at row `offset`.
        const cursor = await cursorAt(db, sort, dir, offset - 1)
        shapes.push({
          id: `${group.replace(/ /g, '')}-${sort}-${dir}`,
          group,
          label: `${group} (rows ${(offset + 1).toLocaleString('en')}–${(offset + PER_PAGE).toLocaleString('en')}), sort ${sort} ${dir}`,
          params: { sort, dir, perPage: PER_PAGE, after: cursor },
          baseline: { sort, dir, offset, filters: {} },
          expect: group === 'last page' ? lastPage : full,
        })
      }

  // Searches: a common trigram, a very common 2-letter term (too short for a trigram), part of one
  // specific e-mail address, and a term that matches nobody.
  const { rows: rareRows } = await db.execute(sql.raw(`select email from users where email is not null order by created_at offset ${Math.floor(n / 3)} limit 1`))
  const rareEmail = (rareRows[0] as { email: string }).email
  const rare = rareEmail.slice(0, rareEmail.indexOf('@') + 1)
  // Search terms by how their matches are spread over the name order (the search plan depends on it).
  const searches: { id: string; what: string; q: string; expect: Expect; after?: 'middle' | 'page 2'; sort?: UserSort }[] = [
    { id: 'search-common', what: 'common substring', q: 'son', expect: full },
    { id: 'search-common-middle', what: 'common substring, from the middle of the name order', q: 'son', expect: full, after: 'middle' },
    { id: 'search-provider', what: 'e-mail provider, ~3 % of users', q: 'yahoo', expect: full },
    { id: 'search-firstname', what: 'common first name', q: 'john', expect: full },
    { id: 'search-lastname', what: 'common last name', q: 'smith', expect: full },
    { id: 'search-lastname-2', what: 'common last name, page 2', q: 'smith', expect: full, after: 'page 2' },
    // First names whose matches sort together, none of them near the start of the name order: the
    // walk finds nothing in its first window, and there are too many to gather and sort.
    { id: 'search-clustered', what: 'first name clustered at the end of the name order', q: 'zoë', expect: full },
    { id: 'search-clustered-ascii', what: 'the same name as written in e-mail addresses', q: 'zoe', expect: full },
    { id: 'search-clustered-jose', what: 'first name clustered late in the name order', q: 'josé', expect: full },
    { id: 'search-clustered-mary', what: 'first name clustered in the middle of the name order, also in e-mails', q: 'mary', expect: full },
    { id: 'search-inside-word', what: 'inside a first name', q: 'hristoph', expect: full },
    // In the e-mail order, which the word index does not serve: addresses starting with a name cluster there.
    { id: 'search-email-mary', what: 'first name, in the e-mail order', q: 'mary', expect: full, sort: 'email' },
    { id: 'search-email-smith', what: 'last name, in the e-mail order', q: 'smith', expect: full, sort: 'email' },
    { id: 'search-rare', what: 'part of one e-mail', q: rare, expect: (p) => (p.rows.length >= 1 && p.rows.some((r) => r.email === rareEmail) ? undefined : `expected ${rareEmail}, got ${p.rows.length} rows`) },
    { id: 'search-none', what: 'no match', q: 'zzyzx', expect: (p) => (p.rows.length === 0 ? undefined : `expected no rows, got ${p.rows.length}`) },
    // Searches need at least three characters; a shorter term is ignored and the full list shown.
    { id: 'search-short', what: 'two letters: too short, ignored', q: 'an', expect: (p) => full(p) ?? (p.searchTooShort ? undefined : 'expected searchTooShort') },
  ]
  const naiveMatch = (q: string) => sql`lower(${users.name} || ' ' || coalesce(${users.email}, '')) like ${'%' + escapeLike(q) + '%'}`
  for (const s of searches) {
    const { rows } = await db.execute(sql`select count(*)::int as n from ${users} where ${naiveMatch(s.q)}`)
    const matches = (rows[0] as { n: number }).n
    let after: string | undefined
    let offset = 0
    if (s.after === 'middle') {
      after = await cursorAt(db, 'name', 'asc', Math.floor(n / 2) - 1)
      const [value, key] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as [string, string]
      const { rows: before } = await db.execute(sql`select count(*)::int as n from ${users} where ${naiveMatch(s.q)} and (lower(${users.name}), ${users.key}) <= (${value}, ${key})`)
      offset = (before[0] as { n: number }).n
    } else if (s.after === 'page 2') {
      after = (await listUsers(systemCtx(), { q: s.q, sort: 'name', dir: 'asc', perPage: PER_PAGE })).next ?? undefined
      if (!after) throw new Error(`search "${s.q}" has no second page`)
      offset = PER_PAGE
    }
    shapes.push({
      id: s.id,
      group: 'search',
      label: `search "${s.q}" (${s.what}; ${matches.toLocaleString('en')} matches), sort ${s.sort ?? 'name'} asc`,
      params: { q: s.q, sort: s.sort ?? 'name', dir: 'asc', perPage: PER_PAGE, after },
      // A too-short term is ignored by listUsers, so its naive twin lists everyone too.
      baseline: { sort: s.sort ?? 'name', dir: 'asc', offset, filters: s.id === 'search-short' ? {} : { q: s.q } },
      expect: s.expect,
    })
  }
  // A clustered first name with a filter: the word index then checks each candidate's row, so a
  // rare filter makes it read most of the name's users.
  for (const f of [
    { id: 'search-clustered-invited', what: 'status = Invited', filters: { status: 'Invited' as const } },
    { id: 'search-clustered-member', what: 'kind = member, 1 % of users', filters: { kind: 'member' as const } },
  ]) {
    const { rows } = await db.execute(
      sql`select count(*)::int as n from ${users} where ${naiveMatch('zoë')} and ${f.filters.status ? eq(users.status, f.filters.status) : eq(users.isMember, true)}`,
    )
    const matches = (rows[0] as { n: number }).n
    shapes.push({
      id: f.id,
      group: 'search',
      label: `search "zoë", ${f.what} (${matches.toLocaleString('en')} matches), sort name asc`,
      params: { q: 'zoë', ...f.filters, sort: 'name', dir: 'asc', perPage: PER_PAGE },
      baseline: { sort: 'name', dir: 'asc', offset: 0, filters: { q: 'zoë', ...f.filters } },
      expect: (p) => (p.rows.length === Math.min(matches, PER_PAGE) && p.rows.every((r) => (f.filters.status ? r.status === f.filters.status : r.isMember)) ? undefined : `expected ${Math.min(matches, PER_PAGE)} filtered rows, got ${p.rows.length}`),
    })
  }
  const { rows: counts } = await db.execute(sql`select count(*) filter (where status = 'Invited')::int as invited, count(*) filter (where is_member)::int as members from ${users}`)
  const { invited, members } = counts[0] as { invited: number; members: number }
  shapes.push({
    id: 'filter-invited',
    group: 'filter',
    label: `status = Invited (${invited.toLocaleString('en')} users), sort name asc`,
    params: { status: 'Invited', sort: 'name', dir: 'asc', perPage: PER_PAGE },
    baseline: { sort: 'name', dir: 'asc', offset: 0, filters: { status: 'Invited' } },
    expect: (p) => full(p) ?? (p.rows.every((r) => r.status === 'Invited') ? undefined : 'a row is not Invited'),
  })
  shapes.push({
    id: 'filter-member',
    group: 'filter',
    label: `kind = member (${members.toLocaleString('en')} users), sort name asc`,
    params: { kind: 'member', sort: 'name', dir: 'asc', perPage: PER_PAGE },
    baseline: { sort: 'name', dir: 'asc', offset: 0, filters: { kind: 'member' } },
    expect: (p) => full(p) ?? (p.rows.every((r) => r.isMember && r.organizationRole === 'Bench role') ? undefined : 'a row is not a member holding Bench role'),
  })
  return { shapes, notes }
}

/**
 * The naive list: same stack (drizzle, pg, one transaction, role lookup) but OFFSET + exact count(*).
 * Searches use the naive predicate lower(name || ' ' || coalesce(email, '')) LIKE '%term%', which no
 * index serves since migration 0003 (the trigram index is on the stored search_text column now) —
 * the "no trigram index" baseline of perf-plan B3.
 */
async function baselineList(db: Db, b: Shape['baseline']): Promise<number> {
  return db.transaction(async (tx) => {
    const filters: (SQL | undefined)[] = []
    if (b.filters.q) filters.push(sql`lower(${users.name} || ' ' || coalesce(${users.email}, '')) like ${'%' + escapeLike(b.filters.q.toLowerCase()) + '%'}`)
    if (b.filters.status) filters.push(eq(users.status, b.filters.status))
    if (b.filters.kind === 'member') filters.push(eq(users.isMember, true))
    if (b.filters.kind === 'end-user') filters.push(eq(users.isEndUser, true))
    const where = and(...filters)
    const expr = sortExpr[b.sort]
    const order = b.dir === 'asc' ? [asc(expr), asc(users.key)] : [desc(expr), desc(users.key)]
    const page = await tx
      .select({
        key: users.key,
        name: users.name,
        email: users.email,
        status: users.status,
        isMember: users.isMember,
        isEndUser: users.isEndUser,
        lastLoginAt: users.lastLoginAt,
        createdAt: users.createdAt,
      })
      .from(users)
      .where(where)
      .orderBy(...order)
      .limit(PER_PAGE)
      .offset(b.offset)
    await tx.execute(sql`select count(*)::int as n from ${users} where ${where ?? sql`true`}`)
    const keys = page.map((r) => r.key)
    if (keys.length)
      await tx
        .select({ userKey: roleAssignments.userKey, name: roles.name })
        .from(roleAssignments)
        .innerJoin(roles, eq(roles.key, roleAssignments.roleKey))
        .where(and(inArray(roleAssignments.userKey, keys), isNull(roleAssignments.appKey)))
    return page.length
  })
}

// ---------------------------------------------------------------------------------------------
// Measurement



/**
 * Runs every fn once per round, `rounds` times, starting one further each round, and returns the
 * samples per fn. A fn that has used up `budgetMs` (after at least `minRuns` samples) sits out the
 * remaining rounds, so that one pathological query cannot take the whole run hostage.
 */

/** The floor of the stack: a transaction with three trivial statements (listUsers makes three). */
async function floorTransaction(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select 1`)
    await tx.execute(sql`select 1`)
    await tx.execute(sql`select 1`)
  })
}

/** With --wait-load L, waits (at most --wait-max-s) until the 1-minute load average is ≤ L. */
async function waitForQuiet(opts: Options): Promise<void> {
  if (!opts.waitLoad) return
  const deadline = Date.now() + opts.waitMaxS * 1000
  while (os.loadavg()[0] > opts.waitLoad && Date.now() < deadline) {
    log(`  load average ${loadavg()} > ${opts.waitLoad}; waiting`)
    await new Promise((r) => setTimeout(r, 15_000))
  }
}


/** Records the statements pg sends while `run` executes (to EXPLAIN exactly what drizzle generated). */


type Result = { shape: Shape; ours: Stats; baseline: Stats; rows: number; total: string; plan: string; dbMs?: { ours: number; baseline: number } }




async function benchTarget(opts: Options, bench: Bench, n: number): Promise<string> {
  const { database, target } = bench
  const loadBefore = loadavg()
  log(`${target}: load average before start ${loadBefore}`)
  const serverVersion = ((await database.pool.query('select version() as v')).rows[0] as { v: string }).v
  await migrateDatabase(database.pool)
  log(`${target}: seeding ${n.toLocaleString('en')} users`)
  const seeded = await seed(database, target, n)
  log(`${target}: seeded in ${(seeded.totalMs / 1000).toFixed(1)} s`)

  const sizes = (
    await database.pool.query(`select
      (select count(*) from users)::int as users,
      (select count(*) from users where status = 'Active')::int as active,
      (select count(*) from users where status = 'Invited')::int as invited,
      (select count(*) from users where status = 'PendingRegistration')::int as pending,
      (select count(*) from users where status = 'Inactive')::int as inactive,
      (select count(*) from users where is_member)::int as members,
      (select count(*) from users where is_end_user)::int as end_users,
      (select count(*) from users where last_login_at is null)::int as never_logged_in,
      (select count(*) from users where email is null)::int as no_email,
      (select count(*) from role_assignments)::int as assignments,
      pg_size_pretty(pg_table_size('users')) as table_size,
      pg_size_pretty(pg_indexes_size('users')) as index_size,
      pg_size_pretty(pg_database_size(current_database())) as database_size`)
  ).rows[0] as Record<string, string | number>

  installDatabase(database)
  const { db } = database
  const built = await buildShapes(db, n)
  const notes = built.notes
  const shapes = opts.only ? built.shapes.filter((s) => s.group.replace(/ /g, '') === opts.only) : built.shapes
  if (!shapes.length) throw new Error(`--only ${opts.only}: no such group`)
  const suffix = opts.only ? `-${opts.only}` : ''
  const failures: string[] = []
  for (const shape of shapes) {
    const problem = shape.expect(await listUsers(systemCtx(), shape.params))
    if (problem) failures.push(`${shape.label}: ${problem}`)
  }
  await waitForQuiet(opts)
  const loadMeasure = loadavg()
  log(`${target}: measuring ${shapes.length} query shapes × ${opts.runs} runs, interleaved (load average ${loadMeasure})`)
  const measureStart = performance.now()
  // Round-robin over the shapes (starting one further each round) so that load from other jobs
  // on this machine is spread evenly over all shapes instead of hitting a few of them.
  const floor = () => floorTransaction(db)
  const oursFns = [floor, ...shapes.map((shape) => () => listUsers(systemCtx(), shape.params))]
  const oursSamples = await interleaved(oursFns, opts.runs, opts.warmup, opts.budgetMs, Math.min(10, opts.runs))
  log(`${target}: ours done in ${((performance.now() - measureStart) / 1000).toFixed(0)} s; baseline`)
  const baseFns = [floor, ...shapes.map((shape) => () => baselineList(db, shape.baseline))]
  const baseRounds = Math.min(opts.runs, opts.baselineRuns)
  const baseSamples = await interleaved(baseFns, baseRounds, 1, opts.baselineBudgetMs, Math.min(3, baseRounds))
  const measureMs = performance.now() - measureStart
  const floorStats = { ours: stats(oursSamples[0]), baseline: stats(baseSamples[0]) }
  const results: Result[] = []
  for (const [i, shape] of shapes.entries()) {
    // Which search plan answers the shape (lib/users/search-page.ts); none for a listing.
    searchTrace.plans = []
    const page = await listUsers(systemCtx(), shape.params)
    const plan = searchTrace.plans.join(', ') || '–'
    searchTrace.plans = null
    const r: Result = { shape, ours: stats(oursSamples[i + 1]), baseline: stats(baseSamples[i + 1]), rows: page.rows.length, total: page.total === null ? 'not counted' : `${page.total.toLocaleString('en')}${page.totalIsLowerBound ? '+' : ''}`, plan }
    results.push(r)
    log(`  ${shape.label}: p50 ${ms(r.ours.p50)} p95 ${ms(r.ours.p95)} p99 ${ms(r.ours.p99)} max ${ms(r.ours.max)} ms | baseline p50 ${ms(r.baseline.p50)} p95 ${ms(r.baseline.p95)} ms (${r.baseline.runs} runs)`)
  }
  const loadAfter = loadavg()
  const plans: string[] = []
  if (opts.plans) {
    log(`${target}: EXPLAIN (ANALYZE, BUFFERS)`)
    for (const r of results) {
      const ours = await explainAll(database, () => listUsers(systemCtx(), r.shape.params))
      const base = await explainAll(database, () => baselineList(db, r.shape.baseline))
      r.dbMs = { ours: ours.executionMs, baseline: base.executionMs }
      plans.push(`==== ${r.shape.label} — ours (listUsers), server execution ${ours.executionMs.toFixed(2)} ms in total\n${ours.text}`)
      plans.push(`==== ${r.shape.label} — baseline (OFFSET ${r.shape.baseline.offset} + exact count), server execution ${base.executionMs.toFixed(2)} ms in total\n${base.text}`)
    }
  }
  installDatabase(undefined)

  const date = new Date().toISOString()
  if (opts.plans) {
    writeFileSync(
      path.join(resultsDir, `plans-${target}${suffix}.txt`),
      `EXPLAIN (ANALYZE, BUFFERS) of every statement of one listUsers call per query shape (and of its naive baseline).\n${date}, ${n.toLocaleString('en')} users, ${serverVersion}\n\n${plans.join('\n\n')}\n`,
    )
  }

  // Report
  const machine = machineInfo()
  const speedup = (ours: number, base: number) => {
    const x = base / ours
    return x >= 10 ? `${x.toFixed(0)}×` : `${x.toFixed(1)}×`
  }
  const lines: string[] = []
  lines.push(`## Users list — ${target}, ${n.toLocaleString('en')} users`)
  lines.push('')
  lines.push(`Recorded ${date}. ${bench.note}.`)
  lines.push('')
  lines.push(`* Code: commit ${codeVersion} (at process start; the use case is imported once)`)
  lines.push(`* Machine: ${machine.cpu}; ${machine.os}; Node ${machine.node}`)
  lines.push(`* Server: ${serverVersion}`)
  lines.push(`* Load average (1/5/15 min): before start ${loadBefore}; before measuring ${loadMeasure}; after measuring ${loadAfter} (other jobs share this machine: these are not quiet-machine numbers)`)
  lines.push(`* Memory (free -g):\n\n\`\`\`\n${machine.memory}\n\`\`\`\n`)
  lines.push(
    `* Dataset: ${Number(sizes.users).toLocaleString('en')} users (Active ${sizes.active}, Invited ${sizes.invited}, PendingRegistration ${sizes.pending}, Inactive ${sizes.inactive}; members ${sizes.members}, end-users ${sizes.end_users}; never signed in ${sizes.never_logged_in}; no e-mail ${sizes.no_email}); ${sizes.assignments} organization-scope role assignments; users table ${sizes.table_size} + indexes ${sizes.index_size}; database ${sizes.database_size}`,
  )
  lines.push(
    `* Seeding: ${(seeded.totalMs / 1000).toFixed(1)} s total — insert ${(seeded.insertMs / 1000).toFixed(1)} s, indexes ${(seeded.indexMs / 1000).toFixed(1)} s (${seeded.indexes.map((i) => `${i.name} ${(i.ms / 1000).toFixed(1)}`).join(', ')}), roles ${(seeded.rolesMs / 1000).toFixed(1)} s, VACUUM ANALYZE + CHECKPOINT ${(seeded.vacuumMs / 1000).toFixed(1)} s`,
  )
  lines.push(
    `* Runs: up to ${opts.runs} per query (fewer only if a query used up its ${opts.budgetMs / 1000} s budget; at least 10) after ${opts.warmup} warm-up rounds, one caller, all shapes interleaved round-robin; baseline up to ${Math.min(opts.runs, opts.baselineRuns)} runs per query or ${opts.baselineBudgetMs / 1000} s (at least 3). The runs column gives ours / baseline. Measuring took ${(measureMs / 1000).toFixed(0)} s.`,
  )
  lines.push(
    `* Stack floor (BEGIN + 3 × \`select 1\` + COMMIT through drizzle + pg, interleaved with the queries): p50 ${ms(floorStats.ours.p50)}, p95 ${ms(floorStats.ours.p95)}, p99 ${ms(floorStats.ours.p99)}, max ${ms(floorStats.ours.max)} ms — what the machine load alone costs a listUsers call.`,
  )
  for (const note of notes) lines.push(`* ${note}`)
  lines.push('')
  lines.push(
    `Times in ms, wall clock around \`listUsers(systemCtx(), params)\` (BEGIN, page query, capped count, role lookup, COMMIT through drizzle + pg), ${PER_PAGE} rows per page. Baseline: the same page through the same stack with \`OFFSET\` and an exact \`count(*)\` (searches: the unindexed predicate \`lower(name || ' ' || coalesce(email, '')) like '%term%'\`). "ours ÷ baseline" compares p95 (lower is better). "DB ms" is the server execution time of the page + count + role statements (sum over the statements of the best of 4 EXPLAIN ANALYZE runs; plans in plans-<target>.txt).`,
  )
  lines.push('')
  lines.push(`| query | rows | total | plan | runs | p50 | p95 | p99 | max | DB ms | baseline p50 | baseline p95 | baseline DB ms | ours ÷ baseline (p95) | p95 ≤ ${TARGET_P95_MS} ms |`)
  lines.push('|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|')
  for (const r of results) {
    const ok = r.ours.p95 <= TARGET_P95_MS
    lines.push(
      `| ${r.shape.label} | ${r.rows} | ${r.total} | ${r.plan} | ${r.ours.runs} / ${r.baseline.runs} | ${ms(r.ours.p50)} | ${ms(r.ours.p95)} | ${ms(r.ours.p99)} | ${ms(r.ours.max)} | ${r.dbMs ? ms(r.dbMs.ours) : '–'} | ${ms(r.baseline.p50)} | ${ms(r.baseline.p95)} | ${r.dbMs ? ms(r.dbMs.baseline) : '–'} | ${(r.ours.p95 / r.baseline.p95).toFixed(3)} (${speedup(r.ours.p95, r.baseline.p95)} faster) | ${ok ? 'yes' : '**no**'} |`,
    )
  }
  lines.push('')
  // Flatness: every depth against the first page of the same sort and direction.
  if (!opts.only) {
    lines.push('Flatness (p95 at depth ÷ p95 of the first page, same sort and direction; ±20 % = 0.80–1.20):')
    lines.push('')
    lines.push('| sort | first page p95 | page 101 | middle | last page |')
    lines.push('|---|--:|--:|--:|--:|')
    for (const sort of SORTS)
      for (const dir of DIRS) {
        const first = results.find((r) => r.shape.id === `first-${sort}-${dir}`)!.ours.p95
        const at = (g: string) => (results.find((r) => r.shape.id === `${g}-${sort}-${dir}`)!.ours.p95 / first).toFixed(2)
        lines.push(`| ${sort} ${dir} | ${ms(first)} | ${at('page101')} | ${at('middle')} | ${at('lastpage')} |`)
      }
    lines.push('')
  }
  const worst = results.reduce((a, b) => (b.ours.p95 > a.ours.p95 ? b : a))
  const misses = results.filter((r) => r.ours.p95 > TARGET_P95_MS)
  lines.push(`Worst p95: ${ms(worst.ours.p95)} ms (${worst.shape.label}). ${misses.length ? `**${misses.length} of ${results.length} queries miss p95 ≤ ${TARGET_P95_MS} ms**: ${misses.map((m) => m.shape.label).join('; ')}.` : `All ${results.length} queries meet p95 ≤ ${TARGET_P95_MS} ms.`}`)
  if (failures.length) lines.push('', `**Correctness checks failed:**`, '', ...failures.map((f) => `* ${f}`))
  else lines.push('', `Correctness checks passed (full pages at every depth, the last page has no next cursor, the rare search finds its user, no-match is empty, filters return only matching rows with their organization role).`)
  const report = lines.join('\n') + '\n'
  writeFileSync(path.join(resultsDir, `users-list-${target}${suffix}.md`), report)
  writeFileSync(
    path.join(resultsDir, `users-list-${target}${suffix}.json`),
    JSON.stringify({ date, commit: codeVersion, target, users: n, serverVersion, loadBefore, loadMeasure, loadAfter, sizes, seeded, floor: floorStats, results: results.map((r) => ({ id: r.shape.id, label: r.shape.label, rows: r.rows, total: r.total, plan: r.plan, ours: r.ours, baseline: r.baseline, dbMs: r.dbMs })), failures }, null, 2) + '\n',
  )
  if (failures.length) process.exitCode = 1
  return report
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  mkdirSync(resultsDir, { recursive: true })
  log(`load average at start ${loadavg()}; nproc ${os.cpus().length}; targets ${opts.targets.join(', ')}`)
  const reports: string[] = []
  for (const target of opts.targets) {
    const bench = target === 'postgres' ? await openPostgres(opts) : await openPglite(opts)
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
      reports.push(await benchTarget(opts, bench, target === 'pglite' ? opts.pgliteUsers : opts.users))
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
