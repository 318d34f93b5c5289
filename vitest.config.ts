import path from 'node:path'
import { defineConfig } from 'vitest/config'

const alias = {
  '@': path.resolve(import.meta.dirname),
  'server-only': path.resolve(import.meta.dirname, 'test/server-only-stub.ts'),
}

const integration = ['lib/**/*.int.test.ts', 'app/**/*.int.test.ts', 'scripts/**/*.int.test.ts', 'test/**/*.int.test.ts']
const withPostgres = Boolean(process.env.TEST_DATABASE_URL)

// Integration tests run once on the embedded database and, when TEST_DATABASE_URL is set, once more
// on the PostgreSQL server: the same use cases must behave identically on both (RUN-2).
export default defineConfig({
  resolve: { alias },
  test: {
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent' },
    // Worker threads start far faster than processes for the hundreds of test files, and two keep
    // both cores busy while one waits on its database (measured: a third of the run saved). The
    // projects below repeat `pool`, which they do not inherit.
    pool: 'threads',
    maxWorkers: 2,
    projects: [
      { resolve: { alias }, test: { name: 'unit', pool: 'threads', include: ['lib/**/*.test.ts', 'app/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'], exclude: integration } },
      {
        resolve: { alias },
        test: { name: 'pglite', pool: 'threads', include: integration, globalSetup: ['test/global-setup.ts'], testTimeout: 30_000, hookTimeout: 60_000, env: { GATEHOUSE_TEST_TARGET: 'pglite', LOG_LEVEL: 'silent' } },
      },
      ...(withPostgres
        ? [
            {
              resolve: { alias },
              test: { name: 'postgres', pool: 'threads', include: integration, globalSetup: ['test/global-setup.ts'], testTimeout: 30_000, hookTimeout: 60_000, env: { GATEHOUSE_TEST_TARGET: 'postgres', LOG_LEVEL: 'silent' } },
            },
          ]
        : []),
    ],
  },
})
