/**
 * Live user counts (CLS-2) and internal/external classification (CLS-1) at a million users.
 *
 *   npm run bench:counts -- [--users 1000000] [--target postgres|pglite|both] [--runs 300]
 *
 * Measures, on a fresh database per target:
 * 1. What the classification and count triggers cost writers: a 100,000-row insert with the
 *    triggers on against the same insert with them off, and single-row inserts (as an invitation
 *    makes them) both ways, interleaved.
 * 2. The dashboard's count read (`userCounts`: summing the appended changes) against what it
 *    replaces, an exact `count(*) FILTER (…)` over users, interleaved.
 * 3. Changing the internal user domains through the use case (`updateInternalDomains`), which
 *    reclassifies everyone in one statement: a change that moves 30 % of the users, one that moves
 *    a few, and the return to no domains.
 * Every count is checked against a full recount after each step. Results go to
 * bench/results/counts-<target>.{md,json}.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { installDatabase, type Database } from '@/db/client'
import { migrateDatabase } from '@/db/migrate'
import type { Ctx } from '@/lib/context'
import { userCounts, type UserCounts } from '@/lib/dashboard/get-dashboard'
import { updateInternalDomains } from '@/lib/settings/update-internal-domains'
import { runSetup } from '@/lib/setup/run-setup'
import {
  codeVersion,
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
  type Bench,
  type Stats,
  type TargetName,
} from './lib/harness'

const ADMIN = { organizationName: 'Bench Org', name: 'Bench Admin', email: 'admin@bench.test', password: 'Bench-Password-2026' }

function parseArgs(argv: string[]) {
  const { args, int } = parseFlags(argv)
  const target = args.get('target') ?? 'postgres'
  if (!['pglite', 'postgres', 'both'].includes(target)) throw new Error('--target must be pglite, postgres or both')
  return {
    users: Math.max(10_000, int('users', 1_000_000)),
    batch: Math.max(1_000, int('batch', 100_000)),
    singles: Math.max(50, int('singles', 300)),
    runs: Math.max(20, int('runs', 300)),
    targets: (target === 'both' ? ['postgres', 'pglite'] : [target]) as TargetName[],
    adminUrl: args.get('admin-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  }
}
type Options = ReturnType<typeof parseArgs>

// 95 % end-users, 5 % members (some both), 1 % invited; a third of the emails at acme.test, the
// rest spread over a thousand other domains, 1 % without an email.
const INSERT_USERS = `
  insert into users (name, email, status, is_member, is_end_user)
  select $2 || ' ' || g,
         case when g % 100 = 7 then null
              when g % 3 = 0 then $2 || g || '@acme.test'
              else $2 || g || '@mail' || (g % 1000) || '.test' end,
         (case when g % 100 = 1 then 'Invited' else 'Active' end)::user_status,
         g % 20 = 0,
         g % 20 <> 0 or g % 40 = 0
  from generate_series(1, $1::int) g`

async function timed<T>(what: string, fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now()
  const value = await fn()
  const elapsed = performance.now() - t
  log(`  ${what}: ${ms(elapsed)} ms`)
  return [value, elapsed]
}

async function recount(database: Database): Promise<UserCounts> {
  const { rows } = await database.pool.query(`select
      count(*) filter (where is_member)::int as members,
      count(*) filter (where is_end_user and is_internal)::int as "internalEndUsers",
      count(*) filter (where is_end_user and not is_internal)::int as "externalEndUsers",
      count(*) filter (where status = 'Invited')::int as "pendingInvitations"
    from users`)
  return rows[0] as UserCounts
}

async function liveCounts(database: Database): Promise<UserCounts> {
  return database.db.transaction((tx) => userCounts(tx))
}

async function benchTarget(opts: Options, bench: Bench) {
  const { database, target } = bench
  const failures: string[] = []
  const verify = async (when: string) => {
    const [live, truth] = [await liveCounts(database), await recount(database)]
    if (JSON.stringify(live) !== JSON.stringify(truth)) failures.push(`${when}: live ${JSON.stringify(live)} ≠ recount ${JSON.stringify(truth)}`)
  }
  await migrateDatabase(database.pool)
  installDatabase(database)
  const { userKey } = await runSetup({ actor: null, ip: '127.0.0.1', userAgent: 'bench' }, ADMIN)
  const admin: Ctx = { actor: { type: 'user', userKey, label: ADMIN.email }, ip: '127.0.0.1', userAgent: 'bench' }
  const insertUsers = (prefix: string, n: number) => database.pool.query(INSERT_USERS, [n, prefix])

  log(`${target}: trigger cost on a ${opts.batch.toLocaleString('en')}-row insert`)
  await database.pool.query('alter table users disable trigger user')
  const [, batchOff] = await timed('insert, triggers off', () => insertUsers('off', opts.batch))
  await database.pool.query(`delete from users where name like 'off %'`)
  await database.pool.query('alter table users enable trigger user')
  const [, batchOn] = await timed('insert, triggers on', () => insertUsers('on', opts.batch))
  await database.pool.query(`delete from users where name like 'on %'`)
  await verify('after the batch inserts')

  log(`${target}: seeding ${opts.users.toLocaleString('en')} users (triggers on)`)
  const [, seedMs] = await timed('seed', () => insertUsers('user', opts.users))
  await database.pool.query('vacuum analyze users')
  await verify('after seeding')

  log(`${target}: ${opts.singles} single-row inserts each way, interleaved`)
  let i = 0
  const single = (on: boolean) => async () => {
    const n = ++i
    const client = await database.pool.connect()
    try {
      if (!on) await client.query('begin; alter table users disable trigger user')
      await client.query(`insert into users (name, email, status, is_end_user) values ($1, $2, 'Active', true)`, [`single-${on ? 'on' : 'off'} ${n}`, `single${n}@mail${n % 7}.test`])
      if (!on) await client.query('alter table users enable trigger user; commit')
    } finally {
      client.release()
    }
  }
  // Disabling a trigger is itself DDL; its cost is measured alone and subtracted.
  const ddlOnly = async () => {
    const client = await database.pool.connect()
    try {
      await client.query('begin; alter table users disable trigger user')
      await client.query('alter table users enable trigger user; commit')
    } finally {
      client.release()
    }
  }
  const [singleOn, singleOff, ddl] = await interleaved([single(true), single(false), ddlOnly], opts.singles, 10, 60_000, opts.singles)
  // The rows inserted with the triggers off were never counted: they go the same way.
  await database.pool.query('alter table users disable trigger user')
  await database.pool.query(`delete from users where name like 'single-off %'`)
  await database.pool.query('alter table users enable trigger user')
  await verify('after the single inserts')

  log(`${target}: the dashboard's count read vs count(*) over users, ${opts.runs} runs`)
  const [live, full] = await interleaved([() => liveCounts(database), () => recount(database)], opts.runs, 5, 120_000, 20)
  const deltaRows = Number((await database.pool.query('select count(*) as n from user_count_deltas')).rows[0].n)

  log(`${target}: reclassifying through updateInternalDomains`)
  const changes: { label: string; ms: number; reclassified: number }[] = []
  for (const [label, domains] of [
    ['none → acme.test (the two thirds elsewhere become external)', ['acme.test']],
    ['acme.test → acme.test + mail8.test (0.07 % become internal)', ['acme.test', 'mail8.test']],
    ['→ none (everyone internal again)', []],
  ] as const) {
    const [result, elapsed] = await timed(label, () => updateInternalDomains(admin, { domains: [...domains] }))
    changes.push({ label, ms: elapsed, reclassified: result.usersReclassified })
    await verify(`after ${label}`)
  }
  installDatabase(undefined)
  return {
    target,
    note: bench.note,
    seedMs,
    batch: { rows: opts.batch, offMs: batchOff, onMs: batchOn },
    single: { on: stats(singleOn), off: stats(singleOff), ddl: stats(ddl) },
    read: { live: stats(live), full: stats(full), deltaRowsAfter: deltaRows },
    changes,
    failures,
  }
}

type Result = Awaited<ReturnType<typeof benchTarget>>

function report(opts: Options, r: Result, loadBefore: string, loadAfter: string): string {
  const row = (label: string, s: Stats) => `| ${label} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${s.runs} |`
  const singleOnMs = r.single.on.p50
  const singleOffMs = Math.max(0, r.single.off.p50 - r.single.ddl.p50)
  return `# Live user counts and classification — ${r.target}

${new Date().toISOString()} · code ${codeVersion} · ${opts.users.toLocaleString('en')} users · ${r.note}
Load average before ${loadBefore}, after ${loadAfter}. Machine: ${machineInfo().cpu}.

## Reading the counts (the dashboard)

| Query | p50 ms | p95 ms | p99 ms | runs |
| --- | ---: | ---: | ---: | ---: |
${row('userCounts: sum of the appended changes (what the dashboard runs)', r.read.live)}
${row('baseline: exact count(*) FILTER over users', r.read.full)}

p50 ratio baseline ÷ live: **${(r.read.full.p50 / r.read.live.p50).toFixed(0)}×**. Rows in user_count_deltas after the run: ${r.read.deltaRowsAfter}.

## What the triggers cost writers

| Write | triggers off | triggers on | ratio |
| --- | ---: | ---: | ---: |
| insert of ${r.batch.rows.toLocaleString('en')} users in one statement (ms) | ${ms(r.batch.offMs)} | ${ms(r.batch.onMs)} | ${(r.batch.onMs / r.batch.offMs).toFixed(2)} |
| single-row insert, p50 (ms; "off" has the cost of disabling the trigger, ${ms(r.single.ddl.p50)} ms, subtracted) | ${ms(singleOffMs)} | ${ms(singleOnMs)} | ${singleOffMs > 0 ? (singleOnMs / singleOffMs).toFixed(2) : 'n/a'} |

Seeding ${opts.users.toLocaleString('en')} users with the triggers on: ${(r.seedMs / 1000).toFixed(1)} s.

## Changing the internal user domains (reclassifies everyone, one transaction)

| Change | ms | users reclassified |
| --- | ---: | ---: |
${r.changes.map((c) => `| ${c.label} | ${ms(c.ms)} | ${c.reclassified.toLocaleString('en')} |`).join('\n')}

## Checks
${r.failures.length ? r.failures.map((f) => `- FAILED: ${f}`).join('\n') : '- The live counts equalled a full recount after every step.'}
`
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  await waitForOtherBenchmark('bench/(users-list|access|counts).ts', 3600)
  mkdirSync(resultsDir, { recursive: true })
  let failed = false
  for (const target of opts.targets) {
    const bench = target === 'postgres' ? await openPostgres(opts.adminUrl, false) : await openPglite(false)
    const loadBefore = loadavg()
    try {
      const result = await benchTarget(opts, bench)
      const md = report(opts, result, loadBefore, loadavg())
      writeFileSync(path.join(resultsDir, `counts-${target}.md`), md)
      writeFileSync(path.join(resultsDir, `counts-${target}.json`), JSON.stringify({ opts: { ...opts, adminUrl: undefined }, result, code: codeVersion }, null, 2))
      console.log(md)
      if (result.failures.length) failed = true
    } finally {
      await bench.database.close()
    }
  }
  process.exit(failed ? 1 : 0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
