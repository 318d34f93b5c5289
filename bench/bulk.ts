/**
 * Bulk user creation (API-6): how many users a second the job runner creates from
 * POST /api/identity/v1/users/bulk operations.
 *
 *   npm run bench:bulk -- [--operations 50] [--records 100] [--rounds 3] [--singles 500]
 *                         [--concurrency 4] [--runner-concurrency 2] [--target postgres|pglite|both]
 *                         [--wait-load L] [--wait-max-s S]   (wait up to S s for the 1-minute load to drop to L)
 *
 * On a fresh database per target (bench/lib/harness.ts), with one API client holding Manage users:
 * 1. Submits `--operations` operations of `--records` new users each through the route handler
 *    (authentication, rate limits raised out of the way, validation, the operation row and its job
 *    in one transaction), then works them off as the server's runner does (`runDueJobs` passes of
 *    20 until one comes back short) and reports users/s over the processing wall time, the time of
 *    one operation (one transaction for all its records) and of one POST. `--rounds` rounds; the
 *    median round is shown.
 * 2. A round where every fifth record names an existing user (half of them with
 *    addToBuiltInIdentityProvider, so Updated; the others Error): the conflict path's cost.
 * 3. Baseline in the same run: the single-creation use case behind POST /users (`createUser`, one
 *    transaction per user) for `--singles` users, one caller and `--concurrency` callers.
 * Every operation is read back through GET /users/bulk/{key} and checked: Finished (or
 * FinishedWithErrors where expected), one result per record in input order, each new user
 * created exactly once with its credential and its audit event.
 * Results go to bench/results/bulk-<target>.{md,json}.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'

// Before anything reads the configuration: the handlers log one line per request.
process.env.LOG_LEVEL = 'error'

import { count, eq, like, sql } from 'drizzle-orm'
import { installDatabase } from '@/db/client'
import { migrateDatabase } from '@/db/migrate'
import { auditEvents, organizations, userCredentials, users } from '@/db/schema'
import { issueClientToken } from '@/lib/api/issue-client-token'
import { insertApiClient, type TestApiClient } from '@/lib/api/testing'
import { systemCtx, type Ctx } from '@/lib/context'
import { runDueJobs, type ClaimedJob } from '@/lib/jobs/runner'
import { runSetup } from '@/lib/setup/run-setup'
import { BULK_CREATE_USERS_JOB, runBulkUserCreation } from '@/lib/users/bulk-create-users'
import { createUser } from '@/lib/users/create-user'
import { GET as getOperation } from '@/app/api/identity/v1/users/bulk/[key]/route'
import { POST as postOperation } from '@/app/api/identity/v1/users/bulk/route'
import {
  codeVersion,
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

const ADMIN = { organizationName: 'Bench Org', name: 'Bench Admin', email: 'admin@bench.test', password: 'Bench-Password-2026' }
const BASE = 'http://bench/api/identity/v1/users/bulk'
const PASS_LIMIT = 20

function parseArgs(argv: string[]) {
  const { args, int } = parseFlags(argv)
  const target = args.get('target') ?? 'postgres'
  if (!['pglite', 'postgres', 'both'].includes(target)) throw new Error('--target must be pglite, postgres or both')
  return {
    operations: Math.max(1, int('operations', 50)),
    records: Math.min(100, Math.max(1, int('records', 100))),
    rounds: Math.max(1, int('rounds', 3)),
    singles: Math.max(50, int('singles', 500)),
    concurrency: Math.max(2, int('concurrency', 4)),
    runnerConcurrency: Math.max(1, int('runner-concurrency', 2)),
    waitLoad: Number(args.get('wait-load') ?? 0),
    waitMaxS: int('wait-max-s', 600),
    targets: (target === 'both' ? ['postgres', 'pglite'] : [target]) as TargetName[],
    adminUrl: args.get('admin-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  }
}
type Options = ReturnType<typeof parseArgs>

type Record_ = { email: string; name?: string; addToBuiltInIdentityProvider?: boolean }
type Expected = 'Inserted' | 'Updated' | 'Error'
type Round = { label: string; users: number; submitMs: number; processMs: number; usersPerSecond: number; post: Stats; operation: Stats; cpuMs: { node: number; server: number | null } }

/**
 * CPU time (ms) this process and the database server's backends of this database have used: the
 * machine's other load stretches wall time, not this. The server's share is read from /proc, so
 * only for a server on this machine (null otherwise; for PGlite it is part of this process).
 */
async function cpuNow(bench: Bench): Promise<{ node: number; server: number | null }> {
  const usage = process.cpuUsage()
  const node = (usage.user + usage.system) / 1000
  if (bench.target !== 'postgres') return { node, server: 0 }
  const { rows } = await bench.database.pool.query<{ pid: number }>(`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`)
  let ticks = 0
  try {
    for (const { pid } of rows) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')
      ticks += Number(fields[11]) + Number(fields[12]) // utime, stime
    }
  } catch {
    return { node, server: null }
  }
  return { node, server: ticks * 10 } // 100 ticks a second
}

async function benchTarget(opts: Options, bench: Bench) {
  const { database, target } = bench
  await migrateDatabase(database.pool)
  installDatabase(database)
  await runSetup({ actor: null, ip: '127.0.0.1', userAgent: 'bench' }, ADMIN)
  // The organization's 5 bulk calls a minute would stop the run after the first five.
  await database.db.update(organizations).set({ bulkRateLimit: 1_000_000, apiRateLimit: 1_000_000 })
  const client: TestApiClient = await insertApiClient({ name: 'Bench bulk client', permissions: [{ slug: 'users.manage' }] })
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret })
  const token = (await issueClientToken(systemCtx('bench'), form)).access_token
  const failures: string[] = []

  const post = async (records: Record_[]) => {
    const response = await postOperation(new Request(BASE, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ records }) }), { params: Promise.resolve({}) })
    if (response.status !== 202) throw new Error(`POST answered ${response.status}: ${await response.text()}`)
    return ((await response.json()) as { key: string }).key
  }
  const read = async (key: string) => {
    const response = await getOperation(new Request(`${BASE}/${key}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ key }) })
    return (await response.json()) as { status: string; operations: Array<{ status: string; record: { key: string | null; email: string } }> }
  }

  /** Submits the operations, then works them off as the server's runner does; checks every result. */
  async function round(label: string, operations: Record_[][], expected: Expected[][]): Promise<Round> {
    const postMs: number[] = []
    const keys: string[] = []
    const submitStart = performance.now()
    for (const records of operations) {
      const t = performance.now()
      keys.push(await post(records))
      postMs.push(performance.now() - t)
    }
    const submitMs = performance.now() - submitStart
    const operationMs: number[] = []
    const handlers = {
      [BULK_CREATE_USERS_JOB]: async (job: ClaimedJob) => {
        const t = performance.now()
        await runBulkUserCreation(job)
        operationMs.push(performance.now() - t)
      },
    }
    const cpuBefore = await cpuNow(bench)
    const processStart = performance.now()
    for (;;) {
      const { done, failed } = await runDueJobs(new Date(), handlers, { limit: PASS_LIMIT, concurrency: opts.runnerConcurrency })
      if (failed) failures.push(`${label}: ${failed} job(s) failed`)
      if (done + failed < PASS_LIMIT) break
    }
    const processMs = performance.now() - processStart
    const cpuAfter = await cpuNow(bench)
    const cpuMs = { node: cpuAfter.node - cpuBefore.node, server: cpuAfter.server === null || cpuBefore.server === null ? null : cpuAfter.server - cpuBefore.server }
    const users = operations.reduce((n, o) => n + o.length, 0)

    for (const [i, key] of keys.entries()) {
      const body = await read(key)
      const want = expected[i]
      const wantStatus = want.includes('Error') ? 'FinishedWithErrors' : 'Finished'
      if (body.status !== wantStatus) failures.push(`${label}: operation ${i} is ${body.status}, expected ${wantStatus}`)
      const got = body.operations.map((o) => o.status)
      if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`${label}: operation ${i} results ${got.join(',')} differ from ${want.join(',')}`)
      if (body.operations.some((o, j) => o.record.email !== operations[i][j].email.toLowerCase())) failures.push(`${label}: operation ${i} results are not in input order`)
    }
    return { label, users, submitMs, processMs, usersPerSecond: (users / processMs) * 1000, post: stats(postMs), operation: stats(operationMs), cpuMs }
  }

  const newUsers = (r: number) => Array.from({ length: opts.operations }, (_, o) => Array.from({ length: opts.records }, (_, j) => ({ email: `r${r}.o${o}.u${j}@bench.test`, name: `Bench User ${r}-${o}-${j}` })))
  const allInserted = () => Array.from({ length: opts.operations }, () => Array.from({ length: opts.records }, (): Expected => 'Inserted'))

  log(`${target}: warm-up (one operation)`)
  await round('warm-up', [newUsers(0)[0]], [allInserted()[0]])

  const rounds: Round[] = []
  for (let r = 1; r <= opts.rounds; r++) {
    log(`${target}: round ${r}: ${opts.operations} operations × ${opts.records} new users`)
    rounds.push(await round(`round ${r}`, newUsers(r), allInserted()))
  }

  log(`${target}: conflict round: every fifth record names an existing user`)
  const conflictOps = newUsers(opts.rounds + 1).map((records, o) =>
    records.map((rec, j): Record_ => (j % 5 === 4 ? { email: `r1.o${o}.u${j}@bench.test`, addToBuiltInIdentityProvider: j % 10 === 4 } : rec)),
  )
  const conflictExpected = conflictOps.map((records) => records.map((rec): Expected => (rec.email.startsWith('r1.') ? (rec.addToBuiltInIdentityProvider ? 'Updated' : 'Error') : 'Inserted')))
  const conflict = await round('conflicts', conflictOps, conflictExpected)

  // Each new user exactly once, with a credential and one audit event.
  const expectedUsers = opts.records * (1 + opts.operations * opts.rounds) + conflictExpected.flat().filter((e) => e === 'Inserted').length
  const [{ n: userCount }] = await database.db.select({ n: count() }).from(users).where(like(users.email, 'r%.o%.u%@bench.test'))
  const [{ n: credentialCount }] = await database.db
    .select({ n: count() })
    .from(userCredentials)
    .innerJoin(users, eq(users.key, userCredentials.userKey))
    .where(like(users.email, 'r%.o%.u%@bench.test'))
  const [{ n: auditCount }] = await database.db.select({ n: count() }).from(auditEvents).where(sql`${auditEvents.action} = 'user.created' and ${auditEvents.targetLabel} like 'r%.o%.u%@bench.test'`)
  for (const [what, n] of [['users', userCount], ['credentials', credentialCount], ['user.created audit events', auditCount]] as const)
    if (n !== expectedUsers) failures.push(`${what}: ${n}, expected ${expectedUsers}`)

  log(`${target}: baseline: createUser, one transaction per user, ${opts.singles} users`)
  const clientCtx = (): Ctx => ({ actor: { type: 'api_client', clientKey: client.key, label: client.name }, ip: '127.0.0.1', userAgent: 'bench' })
  const singleMs: number[] = []
  const singleStart = performance.now()
  for (let i = 0; i < opts.singles; i++) {
    const t = performance.now()
    await createUser(clientCtx(), { email: `single.${i}@bench.test`, name: `Single ${i}` })
    singleMs.push(performance.now() - t)
  }
  const singlePerSecond = (opts.singles / (performance.now() - singleStart)) * 1000
  let next = 0
  const concStart = performance.now()
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      for (let i = next++; i < opts.singles; i = next++) await createUser(clientCtx(), { email: `single.c${i}@bench.test`, name: `Single c${i}` })
    }),
  )
  const concurrentPerSecond = (opts.singles / (performance.now() - concStart)) * 1000

  installDatabase(undefined)
  return { target, note: bench.note, rounds, conflict, expectedUsers, single: { perSecond: singlePerSecond, latency: stats(singleMs), concurrentPerSecond }, failures }
}

type Result = Awaited<ReturnType<typeof benchTarget>>

const median = (rounds: Round[]) => [...rounds].sort((a, b) => a.usersPerSecond - b.usersPerSecond)[Math.floor(rounds.length / 2)]

function report(opts: Options, r: Result, loadBefore: string, loadAfter: string): string {
  const m = median(r.rounds)
  const row = (x: Round) =>
    `| ${x.label} | ${x.users.toLocaleString('en')} | **${x.usersPerSecond.toFixed(0)}** | ${ms(x.processMs)} | ${ms(x.operation.p50)} | ${ms(x.operation.p95)} | ${ms(x.post.p50)} | ${ms(x.post.p95)} | ${ms(x.submitMs)} |`
  const cpu = (x: Round) => {
    const total = x.cpuMs.server === null ? null : x.cpuMs.node + x.cpuMs.server
    return `| ${x.label} | ${ms(x.cpuMs.node)} | ${x.cpuMs.server === null ? 'n/a' : ms(x.cpuMs.server)} | ${total === null ? 'n/a' : ms((total / x.users) * 100)} | ${total === null ? 'n/a' : `**${((x.users / total) * 1000).toFixed(0)}**`} |`
  }
  return `# Bulk user creation — ${r.target}

${new Date().toISOString()} · code ${codeVersion} · ${opts.operations} operations × ${opts.records} records per round · ${r.note} · pg pool of 4 connections
Load average before ${loadBefore}, after ${loadAfter}. Machine: ${machineInfo().cpu}; Node ${process.version}.
In-process calls, no HTTP server. Processing is timed from the first claim to the pass that found nothing more, as the server's runner works.

## Throughput

| Round | users | users/s (processing) | processing ms | one operation p50 ms | p95 ms | one POST p50 ms | p95 ms | all POSTs ms |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${r.rounds.map(row).join('\n')}
${row(r.conflict)}

Median round: **${m.usersPerSecond.toFixed(0)} users/s** (runner concurrency ${opts.runnerConcurrency}). Target ≥ 2,000 users/s: **${m.usersPerSecond >= 2000 ? 'met' : 'missed'}** in wall time.
Conflict round: every fifth record names an existing user (half Updated, half Error).

## CPU cost of processing (independent of the machine's other load)

| Round | this process CPU ms | database backends CPU ms | CPU ms per 100 users | users per CPU second |
| --- | ---: | ---: | ---: | ---: |
${r.rounds.map(cpu).join('\n')}
${cpu(r.conflict)}

"Users per CPU second" divides by the CPU both sides used (${r.target === 'pglite' ? 'PGlite runs inside this process' : 'this process plus the PostgreSQL backends of the bench database, from /proc'}); the WAL writer, commit flushes and waits are not in it. It is what one core sustains when processing is CPU-bound and alone on the machine; the runner works two operations at a time, so on two idle cores the wall-clock rate can exceed it.

## Baseline: one transaction per user (createUser, the use case behind POST /users)

| What | users/s | p50 ms | p95 ms |
| --- | ---: | ---: | ---: |
| one caller, ${opts.singles} users | ${r.single.perSecond.toFixed(0)} | ${ms(r.single.latency.p50)} | ${ms(r.single.latency.p95)} |
| ${opts.concurrency} concurrent callers, ${opts.singles} users | ${r.single.concurrentPerSecond.toFixed(0)} | | |

Bulk (median round) ÷ single creation with one caller: **${(m.usersPerSecond / r.single.perSecond).toFixed(1)}×**; ÷ ${opts.concurrency} callers: **${(m.usersPerSecond / r.single.concurrentPerSecond).toFixed(1)}×**.

## Checks
${r.failures.length ? r.failures.map((f) => `- FAILED: ${f}`).join('\n') : `- Every operation read back through GET /users/bulk/{key} with the expected status and one result per record in input order; ${r.expectedUsers.toLocaleString('en')} users created exactly once, each with a credential and one user.created audit event.`}
`
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  await waitForOtherBenchmark('bench/(users-list|access|counts|tokens|bulk).ts', 3600)
  mkdirSync(resultsDir, { recursive: true })
  await waitForQuiet(opts.waitLoad, opts.waitMaxS)
  let failed = false
  for (const target of opts.targets) {
    const bench = target === 'postgres' ? await openPostgres(opts.adminUrl, false) : await openPglite(false)
    const loadBefore = loadavg()
    try {
      const result = await benchTarget(opts, bench)
      const md = report(opts, result, loadBefore, loadavg())
      writeFileSync(path.join(resultsDir, `bulk-${target}.md`), md)
      writeFileSync(path.join(resultsDir, `bulk-${target}.json`), JSON.stringify({ opts: { ...opts, adminUrl: undefined }, result, code: codeVersion }, null, 2))
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
