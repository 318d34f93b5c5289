import 'server-only'
import { existsSync, mkdirSync, openSync, readFileSync, closeSync, writeFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'

// PGlite opens its data directory from one process only. The first process that needs the
// embedded database (the portal or the CLI) hosts it behind a PostgreSQL-protocol socket and
// records the port; every other process connects through `pg` like it would to a real server.

export type EmbeddedEndpoint = { host: string; port: number; hosted: boolean; stop: () => Promise<void> }

type Marker = { pid: number; port: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

function readMarker(file: string): Marker | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Marker
  } catch {
    return undefined
  }
}

function tryLock(lockFile: string): boolean {
  try {
    const fd = openSync(lockFile, 'wx')
    writeFileSync(fd, String(process.pid))
    closeSync(fd)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    const holder = Number(readFileSync(lockFile, 'utf8') || 0)
    if (holder && holder !== process.pid && isAlive(holder)) return false
    rmSync(lockFile, { force: true }) // left behind by a process that died
    return tryLock(lockFile)
  }
}

async function host(dataDir: string, lockFile: string, markerFile: string): Promise<EmbeddedEndpoint> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm')
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
  const db = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata'), extensions: { pg_trgm } })
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 64 })
  await server.start()
  const port = (server as unknown as { server: net.Server }).server.address() as net.AddressInfo
  writeFileSync(markerFile, JSON.stringify({ pid: process.pid, port: port.port } satisfies Marker))
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    rmSync(markerFile, { force: true })
    await server.stop()
    await db.close()
    rmSync(lockFile, { force: true })
  }
  const release = () => {
    // On exit only synchronous work runs: drop the marker and the lock so the next process can host.
    if (readMarker(markerFile)?.pid === process.pid) rmSync(markerFile, { force: true })
    rmSync(lockFile, { force: true })
  }
  process.once('exit', release)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stop().finally(() => process.exit(130))
    })
  }
  return { host: '127.0.0.1', port: port.port, hosted: true, stop }
}

export async function ensureEmbedded(dataDir: string, timeoutMs = 60_000): Promise<EmbeddedEndpoint> {
  const dir = path.resolve(dataDir)
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true })
  const lockFile = path.join(dir, 'embedded.lock')
  const markerFile = path.join(dir, 'embedded.json')
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const marker = readMarker(markerFile)
    if (marker && marker.pid !== process.pid && isAlive(marker.pid) && (await canConnect(marker.port))) {
      return { host: '127.0.0.1', port: marker.port, hosted: false, stop: async () => {} }
    }
    if (tryLock(lockFile)) return host(dir, lockFile, markerFile)
    await sleep(100) // another process is starting the database; wait for its marker
  }
  throw new Error(`The embedded database in ${dir} did not become available. Is another process stuck holding ${lockFile}?`)
}
