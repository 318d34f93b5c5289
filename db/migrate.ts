import 'server-only'
import path from 'node:path'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import type pg from 'pg'

// Any 64-bit number works as long as every instance uses the same one.
const MIGRATION_LOCK = 727_465_001

export const migrationsFolder = path.join(process.cwd(), 'db', 'migrations')

/** Applies pending migrations; instances starting together wait on an advisory lock (RUN-1, RUN-4). */
export async function migrateDatabase(pool: pg.Pool, folder = migrationsFolder): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK])
    try {
      await migrate(drizzle(client), { migrationsFolder: folder })
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK])
    }
  } finally {
    client.release()
  }
}
