import 'server-only'
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { env } from '@/lib/env'
import { ensureEmbedded } from './embedded'
import { migrateDatabase } from './migrate'
import * as schema from './schema'

export type Db = NodePgDatabase<typeof schema>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
export type Executor = Db | Tx

export type Database = { db: Db; pool: pg.Pool; close: () => Promise<void> }

export function connect(config: pg.PoolConfig, onClose: () => Promise<void> = async () => {}): Database {
  const pool = new pg.Pool({ max: 10, idleTimeoutMillis: 30_000, ...config })
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  const db = drizzle(pool, { schema })
  return {
    db,
    pool,
    close: async () => {
      await pool.end()
      await onClose()
    },
  }
}

export async function openDatabase(): Promise<Database> {
  const { DATABASE_URL, DATA_DIR } = env()
  if (DATABASE_URL) return connect({ connectionString: DATABASE_URL })
  const endpoint = await ensureEmbedded(DATA_DIR)
  const database = connect({ host: endpoint.host, port: endpoint.port, user: 'postgres', database: 'postgres', max: 8 }, endpoint.stop)
  if (!endpoint.hosted) {
    // Another process hosts the embedded database. If it goes away (a CLI command that hosted it
    // exits), forget this connection so the next request finds or becomes the new host.
    database.pool.on('error', () => {
      if (holder.__gatehouseDb) void holder.__gatehouseDb.then((current) => current === database && (holder.__gatehouseDb = undefined), () => {})
    })
  }
  return database
}

// One database per process, opened on first use (never at import time, so `next build` needs none)
// and kept on globalThis so that hot reloads in development do not open a second one.
const holder = globalThis as unknown as { __gatehouseDb?: Promise<Database> }

export function getDatabase(): Promise<Database> {
  holder.__gatehouseDb ??= (async () => {
    const database = await openDatabase()
    await migrateDatabase(database.pool)
    return database
  })().catch((error) => {
    holder.__gatehouseDb = undefined
    throw error
  })
  return holder.__gatehouseDb
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db
}

/** Tests and the CLI install their own database. */
export function installDatabase(database: Database | undefined): void {
  holder.__gatehouseDb = database ? Promise.resolve(database) : undefined
}

export async function closeDatabase(): Promise<void> {
  const current = holder.__gatehouseDb
  holder.__gatehouseDb = undefined
  if (current) await (await current).close()
}
