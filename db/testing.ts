import 'server-only'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { connect, type Database } from './client'
import { migrateDatabase } from './migrate'

export type TestTarget = 'pglite' | 'postgres'

export function testTarget(): TestTarget {
  return process.env.GATEHOUSE_TEST_TARGET === 'postgres' ? 'postgres' : 'pglite'
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL
  if (!url) throw new Error('GATEHOUSE_TEST_TARGET=postgres needs TEST_DATABASE_URL (or DATABASE_URL)')
  return url
}

/** A fresh, migrated database for one test file: in-memory PGlite, or a new database on the server. */
export async function createTestDatabase(): Promise<Database> {
  if (testTarget() === 'postgres') {
    const name = `gatehouse_test_${randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: adminUrl() })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    const url = new URL(adminUrl())
    url.pathname = `/${name}`
    const database = connect({ connectionString: url.toString(), max: 8 }, async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl() })
      await cleanup.connect()
      await cleanup.query(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    })
    await migrateDatabase(database.pool)
    return database
  }
  const { PGlite } = await import('@electric-sql/pglite')
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm')
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
  const lite = await PGlite.create({ extensions: { pg_trgm } })
  const server = new PGLiteSocketServer({ db: lite, port: 0, host: '127.0.0.1', maxConnections: 32 })
  await server.start()
  const { port } = (server as unknown as { server: import('node:net').Server }).server.address() as import('node:net').AddressInfo
  const database = connect({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 8 }, async () => {
    await server.stop()
    await lite.close()
  })
  await migrateDatabase(database.pool)
  return database
}
