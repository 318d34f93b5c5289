/**
 * Helpers shared by the benchmarks: fresh databases (PostgreSQL or PGlite, as bench/users-list.ts
 * opens them), statistics, interleaved timing, machine and load records, and EXPLAIN capture.
 * These are the same helpers bench/users-list.ts defines inline, with the same behaviour.
 */
import { execFileSync, execSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { AddressInfo, Server } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { connect, type Database } from '@/db/client'

export type TargetName = 'pglite' | 'postgres'
export type Bench = { target: TargetName; database: Database; note: string }

export const resultsDir = path.join(process.cwd(), 'bench', 'results')

export const codeVersion = (() => {
  try {
    return execSync('git describe --always --dirty', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return 'unknown'
  }
})()

export const log = (...parts: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...parts)

/** `--name value`, `--name=value` and `--flag` arguments. */
export function parseFlags(argv: string[]) {
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
  return { args, int }
}

/** A fresh database; `poolMax` connections (the portal's own pool has 10, db/client.ts). */
export async function openPostgres(adminUrl: string, keep: boolean, poolMax = 4): Promise<Bench> {
  const name = `gatehouse_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const drop = async () => {
    if (keep) return log(`kept database ${name}`)
    const cleanup = new pg.Client({ connectionString: adminUrl })
    await cleanup.connect()
    await cleanup.query(`drop database if exists ${name} with (force)`)
    await cleanup.end()
  }
  const database = connect({ connectionString: url.toString(), max: poolMax }, drop)
  return { target: 'postgres', database, note: `fresh database ${name} on ${url.host}, ${keep ? 'kept' : 'dropped'} at the end` }
}

export async function openPglite(keep: boolean): Promise<Bench> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm')
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
  // A data directory on disk, like the embedded mode of the portal (db/embedded.ts).
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-pglite-'))
  const lite = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata'), extensions: { pg_trgm } })
  const server = new PGLiteSocketServer({ db: lite, port: 0, host: '127.0.0.1', maxConnections: 32 })
  await server.start()
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo
  const database = connect({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 4 }, async () => {
    await server.stop()
    await lite.close()
    if (keep) log(`kept PGlite data directory ${dataDir}`)
    else rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    target: 'pglite',
    database,
    note: `PGlite (same defaults as db/embedded.ts) on a temporary data directory, in this process, behind PGLiteSocketServer on 127.0.0.1:${port}, reached through pg`,
  }
}

export type Stats = { runs: number; p50: number; p95: number; p99: number; max: number; mean: number }

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b)
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
  return { runs: s.length, p50: at(50), p95: at(95), p99: at(99), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length) }
}

/**
 * Runs every fn once per round, `rounds` times, starting one further each round, and returns the
 * samples (ms) per fn. A fn that has used up `budgetMs` (after at least `minRuns` samples) sits out
 * the remaining rounds.
 */
export async function interleaved(fns: (() => Promise<unknown>)[], rounds: number, warmup: number, budgetMs: number, minRuns: number): Promise<number[][]> {
  const out: number[][] = fns.map(() => [])
  const spent = fns.map(() => 0)
  for (let w = 0; w < warmup; w++)
    for (const [i, fn] of fns.entries()) {
      if (w > 0 && spent[i] > budgetMs / 4) continue
      const t = performance.now()
      await fn()
      spent[i] += performance.now() - t
    }
  const done = (i: number) => out[i].length >= rounds || (out[i].length >= minRuns && spent[i] > budgetMs)
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < fns.length; j++) {
      const i = (r + j) % fns.length
      if (done(i)) continue
      const t = performance.now()
      await fns[i]()
      const elapsed = performance.now() - t
      out[i].push(elapsed)
      spent[i] += elapsed
    }
    if (fns.every((_, i) => done(i))) break
  }
  return out
}

export function machineInfo(): Record<string, string> {
  const sh = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8' }).trimEnd()
    } catch {
      return 'n/a'
    }
  }
  return {
    cpu: `${os.cpus()[0]?.model ?? '?'} — nproc ${sh('nproc')}`,
    memory: sh('free -g'),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  }
}

export const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')

export const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2))

/** With `waitLoad` > 0, waits (at most `waitMaxS`) until the 1-minute load average is ≤ waitLoad. */
export async function waitForQuiet(waitLoad: number, waitMaxS: number): Promise<void> {
  if (!waitLoad) return
  const deadline = Date.now() + waitMaxS * 1000
  while (os.loadavg()[0] > waitLoad && Date.now() < deadline) {
    log(`  load average ${loadavg()} > ${waitLoad}; waiting`)
    await new Promise((r) => setTimeout(r, 15_000))
  }
}

/**
 * Waits (polling every 30 s, at most `maxS`) while another benchmark process whose command line
 * contains `pattern` runs, so that two benchmarks never measure each other. Returns the seconds waited.
 */
export async function waitForOtherBenchmark(pattern: string, maxS: number): Promise<number> {
  const start = Date.now()
  // This process and the ones that started it (`npm run` wraps it in a shell whose command line
  // names the script too).
  const ancestors = new Set<number>()
  for (let pid = process.pid; pid > 1 && !ancestors.has(pid); ) {
    ancestors.add(pid)
    try {
      pid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1])
    } catch {
      break
    }
  }
  const running = () => {
    try {
      // execFile, not a shell: a shell's own command line would contain the pattern.
      return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter((pid) => pid && !ancestors.has(Number(pid)))
    } catch {
      return [] // pgrep exits 1 when nothing matches
    }
  }
  for (let pids = running(); pids.length && Date.now() - start < maxS * 1000; pids = running()) {
    log(`  another benchmark is running (${pattern}: pid ${pids.join(', ')}); waiting 30 s`)
    await new Promise((r) => setTimeout(r, 30_000))
  }
  return (Date.now() - start) / 1000
}

type Captured = { text: string; values: unknown[] }

/** Records the statements pg sends while `run` executes (to EXPLAIN exactly what drizzle generated). */
export async function captureStatements(run: () => Promise<unknown>): Promise<Captured[]> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }
  const original = proto.query
  const captured: Captured[] = []
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [config, values] = args as [string | { text?: string; values?: unknown[] }, unknown]
    if (typeof config === 'string') captured.push({ text: config, values: Array.isArray(values) ? values : [] })
    else if (config && typeof config.text === 'string') captured.push({ text: config.text, values: config.values ?? (Array.isArray(values) ? values : []) })
    return original.apply(this, args)
  }
  try {
    await run()
  } finally {
    proto.query = original
  }
  return captured.filter((c) => !/^\s*(begin|commit|rollback)\b/i.test(c.text))
}

/** EXPLAIN (ANALYZE, BUFFERS) of every statement `run` sends; execution time is the best of up to 4 runs. */
export async function explainAll(database: Database, run: () => Promise<unknown>, filter: (text: string) => boolean = () => true): Promise<{ text: string; executionMs: number; statements: number }> {
  const statements = await captureStatements(run)
  const out: string[] = []
  let executionMs = 0
  for (const st of statements.filter((s) => filter(s.text))) {
    const { rows } = await database.pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${st.text}`, st.values)
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n')
    let best = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? 0)
    for (let i = 0; i < 3 && best < 200; i++) {
      const { rows: again } = await database.pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, timing off) ${st.text}`, st.values)
      best = Math.min(best, Number(/Execution Time: ([\d.]+) ms/.exec(again.map((r) => r['QUERY PLAN']).join('\n'))?.[1] ?? best))
    }
    executionMs += best
    const cut = (t: string) => (t.length > 1200 ? `${t.slice(0, 1200)}…` : t)
    out.push(`-- ${cut(st.text.replace(/\s+/g, ' '))}\n-- params: ${cut(JSON.stringify(st.values))}\n-- best execution time of up to 4 runs: ${best.toFixed(3)} ms\n${plan}`)
  }
  return { text: out.join('\n\n'), executionMs, statements: statements.length }
}
