import { readFileSync } from 'node:fs'
import path from 'node:path'
import { getDatabase, type Database } from '@/db/client'
import { migrationsFolder } from '@/db/migrate'
import { env } from '@/lib/env'
import { defineCommand } from '../command'

type JournalEntry = { tag: string; when: number }

function journal(): JournalEntry[] {
  const file = path.join(migrationsFolder, 'meta', '_journal.json')
  return (JSON.parse(readFileSync(file, 'utf8')) as { entries: JournalEntry[] }).entries
}

function readMarker(dataDir: string): { pid: number; port: number } | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, 'embedded.json'), 'utf8'))
  } catch {
    return undefined
  }
}

/** Which database the command reached, in words an operator can check against their setup. */
function describeDatabase(database: Database): { text: string; data: Record<string, unknown> } {
  const { DATABASE_URL, DATA_DIR } = env()
  if (DATABASE_URL) {
    const url = new URL(DATABASE_URL)
    url.password = '' // never echo a secret into a terminal or a CI log
    return { text: `PostgreSQL at ${url.toString()}`, data: { kind: 'postgres', url: url.toString() } }
  }
  const dataDir = path.resolve(DATA_DIR)
  const port = (database.pool as unknown as { options: { port?: number } }).options.port
  const marker = readMarker(dataDir)
  if (marker && marker.port === port) {
    if (marker.pid === process.pid)
      return { text: `embedded PostgreSQL (PGlite) in ${dataDir}, opened by this command`, data: { kind: 'embedded', dataDir, hostedBy: 'this command' } }
    return {
      text: `embedded PostgreSQL (PGlite) in ${dataDir}, served by process ${marker.pid} on 127.0.0.1:${marker.port}`,
      data: { kind: 'embedded', dataDir, hostedBy: marker.pid, port: marker.port },
    }
  }
  return { text: `embedded PostgreSQL on 127.0.0.1:${port}`, data: { kind: 'embedded', port } }
}

export const migrate = defineCommand({
  name: 'migrate',
  summary: 'Open the database and apply any pending schema migrations.',
  details: [
    'The portal applies migrations by itself when it starts; run this before starting new instances',
    'after an upgrade, or to check which migrations a database has. Instances that start at the',
    'same time wait for each other on a database lock, so running it concurrently is safe.',
  ],
  options: {},
  async run() {
    // getDatabase() is what the portal runs on first use: open (or join) the database, then migrate under the advisory lock.
    const database = await getDatabase()
    const where = describeDatabase(database)
    const { rows } = await database.pool.query<{ created_at: string }>('select created_at from drizzle.__drizzle_migrations')
    const appliedAt = new Set(rows.map((r) => Number(r.created_at)))
    const known = journal()
    const applied = known.filter((m) => appliedAt.has(m.when)).map((m) => m.tag)
    const pending = known.filter((m) => !appliedAt.has(m.when)).map((m) => m.tag)
    // A database upgraded by a newer Gatehouse has migrations this copy does not know about.
    const unknown = [...appliedAt].filter((when) => !known.some((m) => m.when === when)).length
    const latest = applied.at(-1) ?? null
    const lines = [`Database: ${where.text}`]
    if (pending.length) lines.push(`Migrations: ${applied.length} of ${known.length} applied; not applied: ${pending.join(', ')}.`)
    else lines.push(`Migrations: all ${known.length} applied; the schema is up to date (latest: ${latest}).`)
    if (unknown) lines.push(`Note: the database has ${unknown} migration(s) this version of Gatehouse does not know; it was upgraded by a newer version.`)
    return { lines, data: { database: where.data, upToDate: pending.length === 0, applied, pending, latest, unknownMigrations: unknown } }
  },
})
