import 'server-only'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { connect, type Database } from './client'
import { migrateDatabase } from './migrate'

export type TestTarget = 'pglite' | 'postgres'

export function testTarget(): TestTarget {
  return process.env.GATEHOUSE_TEST_TARGET === 'postgres' ? 'postgres' : 'pglite'
}

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL
  if (!url) throw new Error('GATEHOUSE_TEST_TARGET=postgres needs TEST_DATABASE_URL (or DATABASE_URL)')
  return url
}

/**
 * Where a test run's migrated template lives (test/global-setup.ts makes it once per run): a PGlite
 * data directory dumped to a file, or a PostgreSQL database to copy. Without one, every test
 * database is migrated from scratch.
 */
export type TestTemplate = { pgliteDump?: string; postgresDatabase?: string }

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl() })
  await admin.connect()
  try {
    await admin.query(sql)
  } finally {
    await admin.end()
  }
}

function postgresDatabase(name: string): Database {
  const url = new URL(adminUrl())
  url.pathname = `/${name}`
  return connect({ connectionString: url.toString(), max: 8 }, () => adminQuery(`drop database if exists ${name} with (force)`))
}

async function pgliteDatabase(dump?: Blob): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm')
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
  // Loading a dumped data directory skips initdb, which is most of a fresh instance's start-up.
  const lite = await PGlite.create({ extensions: { pg_trgm }, ...(dump ? { loadDataDir: dump } : {}) })
  const server = new PGLiteSocketServer({ db: lite, port: 0, host: '127.0.0.1', maxConnections: 32 })
  await server.start()
  const { port } = (server as unknown as { server: import('node:net').Server }).server.address() as import('node:net').AddressInfo
  return connect({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 8 }, async () => {
    await server.stop()
    await lite.close()
  })
}

/** A fresh, migrated database for one test file: in-memory PGlite, or a new database on the server. */
export async function createTestDatabase(template: TestTemplate = {}): Promise<Database> {
  if (testTarget() === 'postgres') {
    const name = `gatehouse_test_${randomBytes(6).toString('hex')}`
    if (template.postgresDatabase) {
      await adminQuery(`create database ${name} template ${template.postgresDatabase}`)
      return postgresDatabase(name)
    }
    await adminQuery(`create database ${name}`)
    const database = postgresDatabase(name)
    await migrateDatabase(database.pool)
    return database
  }
  if (template.pgliteDump) return pgliteDatabase(new Blob([readFileSync(template.pgliteDump)]))
  const database = await pgliteDatabase()
  await migrateDatabase(database.pool)
  return database
}

/** The PGlite template: a fresh instance, migrated, its data directory dumped (uncompressed). */
export async function pgliteTemplateDump(): Promise<Blob> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm')
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
  const lite = await PGlite.create({ extensions: { pg_trgm } })
  const server = new PGLiteSocketServer({ db: lite, port: 0, host: '127.0.0.1', maxConnections: 4 })
  await server.start()
  const { port } = (server as unknown as { server: import('node:net').Server }).server.address() as import('node:net').AddressInfo
  const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 2 })
  try {
    await migrateDatabase(pool)
  } finally {
    await pool.end()
    await server.stop()
  }
  const dump = await lite.dumpDataDir('none')
  await lite.close()
  return dump
}

/** The PostgreSQL template: a migrated database nobody connects to, so CREATE DATABASE … TEMPLATE can copy it. */
export async function createPostgresTemplate(): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `gatehouse_template_${randomBytes(6).toString('hex')}`
  await adminQuery(`create database ${name}`)
  const database = postgresDatabase(name)
  try {
    await migrateDatabase(database.pool)
  } finally {
    await database.pool.end()
  }
  return { name, drop: () => adminQuery(`drop database if exists ${name} with (force)`) }
}
