/**
 * API access tokens (perf-plan B4, in-process) and the REST API's per-request authentication.
 *
 *   npm run bench:tokens -- [--seconds 5] [--runs 3] [--clients 20] [--concurrency 8] [--samples 2000]
 *                           [--wait-load L] [--wait-max-s S]   (wait up to S s for the 1-minute load to drop to L)
 *
 * On a fresh PostgreSQL database (bench/lib/harness.ts), with `--clients` API clients inserted as
 * rows, measures in this process, `--runs` rounds each, reporting the median round:
 * 1. `issueClientToken` (the use case behind POST /identity/connect/token: form checks, client
 *    lookup with HMAC secret comparison, cached ES256 key, JWT signing): tokens/s with one caller
 *    in a loop and with `--concurrency` callers, each for `--seconds`, plus per-call p50/p95.
 * 2. The same through the route's HTTP adaptor, `handleTokenRequest(new Request(…))` (content-type
 *    check, body read, form parse, JSON answer), with `--concurrency` callers. No HTTP server: the
 *    socket and Next.js's own routing are not in these numbers.
 * 3. Baseline in the same run: the identical flow with the secret stored as argon2id (OWASP
 *    parameters, as passwords are) instead of HMAC-SHA-256: the "hash every secret" design.
 * 4. `authenticateApiRequest` (bearer parsing, ES256 verification against the published key,
 *    the client's current state from the database): `--samples` sequential calls, p50/p95, and
 *    throughput with `--concurrency` callers.
 * 5. A whole authenticated call, GET /api/gatehouse/v1/whoami's handler (authentication, then the
 *    use case's transaction loading the client's permissions): `--samples` sequential calls.
 * Every issued token of a sample is verified, and a wrong secret must be refused.
 * Results go to bench/results/tokens-postgres.{md,json}.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'

// Before anything reads the configuration: the handlers log one line per request.
process.env.LOG_LEVEL = 'error'

import { eq, and, gt, isNull } from 'drizzle-orm'
import { installDatabase, type Executor } from '@/db/client'
import { migrateDatabase } from '@/db/migrate'
import { apiClients, apiClientSecrets } from '@/db/schema'
import { authenticateApiRequest } from '@/lib/api/authenticate'
import { signAccessToken, TOKEN_LIFETIME_SECONDS } from '@/lib/api/access-tokens'
import { issueClientToken } from '@/lib/api/issue-client-token'
import { clientCredentials, OAuthError } from '@/lib/api/oauth'
import { signingKey } from '@/lib/api/signing-keys'
import { insertApiClient, tokenRequest, type TestApiClient } from '@/lib/api/testing'
import { handleTokenRequest } from '@/lib/api/token-endpoint'
import { hashPassword, verifyPassword } from '@/lib/auth/passwords'
import { systemCtx } from '@/lib/context'
import { runSetup } from '@/lib/setup/run-setup'
import { GET as whoami } from '@/app/api/gatehouse/v1/whoami/route'
import { codeVersion, loadavg, log, machineInfo, ms, openPostgres, parseFlags, resultsDir, stats, waitForOtherBenchmark, type Stats, waitForQuiet } from './lib/harness'

function parseArgs(argv: string[]) {
  const { args, int } = parseFlags(argv)
  return {
    seconds: Math.max(1, int('seconds', 5)),
    runs: Math.max(1, int('runs', 3)),
    clients: Math.max(1, int('clients', 20)),
    concurrency: Math.max(2, int('concurrency', 8)),
    samples: Math.max(100, int('samples', 2000)),
    waitLoad: Number(args.get('wait-load') ?? 0),
    waitMaxS: int('wait-max-s', 600),
    adminUrl: args.get('admin-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  }
}
type Options = ReturnType<typeof parseArgs>

type Throughput = { perSecond: number; calls: number; latency: Stats }

/** Calls `fn` from `concurrency` loops for `seconds`; tokens/s over the wall time and per-call latency. */
async function throughput(fn: (i: number) => Promise<unknown>, concurrency: number, seconds: number): Promise<Throughput> {
  const samples: number[] = []
  let next = 0
  const start = performance.now()
  const deadline = start + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const i = next++
        const t = performance.now()
        await fn(i)
        samples.push(performance.now() - t)
      }
    }),
  )
  const wall = performance.now() - start
  return { perSecond: (samples.length / wall) * 1000, calls: samples.length, latency: stats(samples) }
}

async function sequential(fn: (i: number) => Promise<unknown>, n: number): Promise<Stats> {
  const samples: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await fn(i)
    samples.push(performance.now() - t)
  }
  return stats(samples)
}

const median = <T>(rounds: T[], by: (t: T) => number): T => [...rounds].sort((a, b) => by(a) - by(b))[Math.floor(rounds.length / 2)]

const form = (c: TestApiClient, secret = c.secret) => new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: secret })

/** The "hash every secret" baseline: the same checks and lookup, the secret verified with argon2id. */
function argon2Issuer(db: Executor, argonHashes: Map<string, string>) {
  return async (body: URLSearchParams) => {
    const credentials = clientCredentials(body, null)
    const now = new Date()
    const rows = await db
      .select({ clientKey: apiClients.key })
      .from(apiClients)
      .innerJoin(apiClientSecrets, eq(apiClientSecrets.clientKey, apiClients.key))
      .where(and(eq(apiClients.clientId, credentials.clientId), isNull(apiClients.suspendedAt), gt(apiClientSecrets.expiresAt, now)))
    const stored = argonHashes.get(credentials.clientId)
    if (!rows.length || !stored || !(await verifyPassword(stored, credentials.clientSecret))) throw new OAuthError('invalid_client', 'Client authentication failed.')
    return { access_token: await signAccessToken(await signingKey(db), credentials.clientId, now), expires_in: TOKEN_LIFETIME_SECONDS, token_type: 'Bearer' }
  }
}

async function run(opts: Options) {
  const bench = await openPostgres(opts.adminUrl, false)
  try {
    const { database } = bench
    await migrateDatabase(database.pool)
    installDatabase(database)
    await runSetup({ actor: null, ip: '127.0.0.1', userAgent: 'bench' }, { organizationName: 'Bench Org', name: 'Bench Admin', email: 'admin@bench.test', password: 'Bench-Password-2026' })
    const clients: TestApiClient[] = []
    for (let i = 0; i < opts.clients; i++) clients.push(await insertApiClient({ name: `Bench client ${i}`, permissions: [{ slug: 'users.view_members' }, { slug: 'endusers.view', stages: ['QA'] }] }))
    const argonHashes = new Map(await Promise.all(clients.map(async (c) => [c.clientId, await hashPassword(c.secret)] as [string, string])))
    const ctx = systemCtx('bench', { ip: '127.0.0.1', userAgent: 'bench' })
    const pick = (i: number) => clients[i % clients.length]
    const issue = (i: number) => issueClientToken(ctx, form(pick(i)))
    const viaRoute = async (i: number) => {
      const response = await handleTokenRequest(tokenRequest(Object.fromEntries(form(pick(i)))))
      if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}`)
      await response.json()
    }
    const argon = argon2Issuer(database.db, argonHashes)

    // Checks first: every client gets a token that authenticates as itself; a wrong secret is refused.
    const failures: string[] = []
    const tokens = await Promise.all(clients.map((c, i) => issue(i).then((t) => t.access_token)))
    for (const [i, token] of tokens.entries()) {
      const authenticated = await authenticateApiRequest(new Request('http://bench/api', { headers: { authorization: `Bearer ${token}` } }))
      if (authenticated.actor?.type !== 'api_client' || authenticated.actor.clientKey !== clients[i].key) failures.push(`token of client ${i} did not authenticate as it`)
    }
    const refused = await issueClientToken(ctx, form(clients[0], `${clients[0].secret}x`)).then(() => false, (e) => e instanceof OAuthError && e.error === 'invalid_client')
    if (!refused) failures.push('a wrong secret was not refused')

    log('warm-up')
    await throughput(issue, opts.concurrency, 1)
    await throughput(viaRoute, opts.concurrency, 1)

    const rounds: Array<{ seq: Throughput; conc: Throughput; route: Throughput; argon: Throughput; authConc: Throughput }> = []
    const bearer = (i: number) => new Request('http://bench/api/gatehouse/v1/whoami', { headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } })
    for (let r = 0; r < opts.runs; r++) {
      log(`round ${r + 1}/${opts.runs} (load ${loadavg()})`)
      const seq = await throughput(issue, 1, opts.seconds)
      const conc = await throughput(issue, opts.concurrency, opts.seconds)
      const route = await throughput(viaRoute, opts.concurrency, opts.seconds)
      const argonRound = await throughput((i) => argon(form(pick(i))), opts.concurrency, opts.seconds)
      const authConc = await throughput((i) => authenticateApiRequest(bearer(i)), opts.concurrency, opts.seconds)
      log(`  issue ${seq.perSecond.toFixed(0)}/s sequential, ${conc.perSecond.toFixed(0)}/s c=${opts.concurrency}; route ${route.perSecond.toFixed(0)}/s; argon2 baseline ${argonRound.perSecond.toFixed(0)}/s; authenticate ${authConc.perSecond.toFixed(0)}/s`)
      rounds.push({ seq, conc, route, argon: argonRound, authConc })
    }

    log('authenticate and whoami, sequential samples')
    await sequential((i) => authenticateApiRequest(bearer(i)), 200)
    const auth = await sequential((i) => authenticateApiRequest(bearer(i)), opts.samples)
    const whoamiStats = await sequential(async (i) => {
      const response = await whoami(bearer(i), { params: Promise.resolve({}) })
      if (response.status !== 200) throw new Error(`whoami answered ${response.status}`)
      await response.json()
    }, opts.samples)

    return {
      note: bench.note,
      failures,
      seq: median(rounds.map((r) => r.seq), (t) => t.perSecond),
      conc: median(rounds.map((r) => r.conc), (t) => t.perSecond),
      route: median(rounds.map((r) => r.route), (t) => t.perSecond),
      argon: median(rounds.map((r) => r.argon), (t) => t.perSecond),
      authConc: median(rounds.map((r) => r.authConc), (t) => t.perSecond),
      rounds: rounds.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v.perSecond)]))),
      auth,
      whoami: whoamiStats,
    }
  } finally {
    await bench.database.close()
  }
}

type Result = Awaited<ReturnType<typeof run>>

function report(opts: Options, r: Result, loadBefore: string, loadAfter: string): string {
  const t = (label: string, x: Throughput) => `| ${label} | **${x.perSecond.toFixed(0)}** | ${ms(x.latency.p50)} | ${ms(x.latency.p95)} | ${ms(x.latency.p99)} | ${x.calls.toLocaleString('en')} |`
  const l = (label: string, s: Stats) => `| ${label} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${s.runs.toLocaleString('en')} |`
  const c = opts.concurrency
  return `# API access tokens — postgres

${new Date().toISOString()} · code ${codeVersion} · ${opts.clients} API clients · ${r.note} · pg pool of 4 connections
Load average before ${loadBefore}, after ${loadAfter}. Machine: ${machineInfo().cpu}; Node ${process.version}.
In-process calls, no HTTP server: ${opts.seconds} s per measurement, ${opts.runs} rounds, the median round shown (all rounds: ${r.rounds.map((x) => JSON.stringify(x)).join(' · ')}).

## Token issuance (client credentials, ES256)

| What | tokens/s | p50 ms | p95 ms | p99 ms | calls |
| --- | ---: | ---: | ---: | ---: | ---: |
${t('issueClientToken, one caller', r.seq)}
${t(`issueClientToken, ${c} concurrent callers`, r.conc)}
${t(`handleTokenRequest (the route's HTTP adaptor), ${c} concurrent callers`, r.route)}
${t(`baseline: the same flow with an argon2id-hashed secret, ${c} concurrent callers`, r.argon)}

Target ≥ 1,000 issuances/s on 2 cores: **${r.conc.perSecond >= 1000 ? 'met' : 'missed'}** with ${c} callers (${r.conc.perSecond.toFixed(0)}/s)${r.seq.perSecond >= 1000 ? ' and with one' : ''}.
Ours ÷ argon2id baseline at ${c} callers: **${(r.conc.perSecond / r.argon.perSecond).toFixed(0)}×** (perf-plan B4 asks ≥ 20×).

## Authenticating an API request

| What | p50 ms | p95 ms | p99 ms | max ms | calls |
| --- | ---: | ---: | ---: | ---: | ---: |
${l('authenticateApiRequest, sequential (bearer parse, ES256 verify, client state query)', r.auth)}
${l('GET /api/gatehouse/v1/whoami handler, sequential (the above + a transaction loading the permissions)', r.whoami)}

authenticateApiRequest with ${c} concurrent callers: **${r.authConc.perSecond.toFixed(0)} requests/s** (p50 ${ms(r.authConc.latency.p50)} ms, p95 ${ms(r.authConc.latency.p95)} ms).

## Checks
${r.failures.length ? r.failures.map((f) => `- FAILED: ${f}`).join('\n') : `- Every client's token authenticated as that client; a wrong secret was refused with invalid_client.`}
`
}

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  await waitForOtherBenchmark('bench/(users-list|access|counts|tokens).ts', 3600)
  mkdirSync(resultsDir, { recursive: true })
  await waitForQuiet(opts.waitLoad, opts.waitMaxS)
  const loadBefore = loadavg()
  const result = await run(opts)
  const md = report(opts, result, loadBefore, loadavg())
  writeFileSync(path.join(resultsDir, 'tokens-postgres.md'), md)
  writeFileSync(path.join(resultsDir, 'tokens-postgres.json'), JSON.stringify({ opts: { ...opts, adminUrl: undefined }, result, code: codeVersion }, null, 2))
  console.log(md)
  process.exit(result.failures.length ? 1 : 0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
