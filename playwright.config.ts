import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { defineConfig } from '@playwright/test'
import { findChromium } from './scripts/find-chromium.mjs'

// End-to-end tests drive the production build (`npm run test:e2e` builds it first; see
// scripts/e2e.mjs) in the system Chromium, against a portal started on a fresh embedded database.

// 3100 unless E2E_PORT says otherwise (two runs on one machine need two ports).
const PORT = Number(process.env.E2E_PORT || 3100)
const APP_URL = `http://localhost:${PORT}`
/** A fixed, test-only secret (40 characters); never used outside the end-to-end run. */
const AUTH_SECRET = 'e2e-only-secret-0123456789abcdefghijklmn'

// One fresh data directory per run. scripts/e2e.mjs chooses it (and keeps it after a failed run);
// a bare `npx playwright test` gets one here, removed when the run ends. Stored in the environment
// so that the worker processes, which load this file again, see the same directory.
if (!process.env.GATEHOUSE_E2E_DATA_DIR) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-e2e-'))
  process.env.GATEHOUSE_E2E_DATA_DIR = dir
  process.once('exit', () => rmSync(dir, { recursive: true, force: true })) // after the web server stopped
}
const DATA_DIR = process.env.GATEHOUSE_E2E_DATA_DIR
// Journeys that run the CLI against this portal's database need the same secret (API client
// secrets are keyed by it).
process.env.GATEHOUSE_E2E_AUTH_SECRET = AUTH_SECRET

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1, // 2-core machines: the portal, its database and one browser already fill them
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    baseURL: APP_URL,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: findChromium(),
      // Without the background-networking flags Chromium keeps dialling Google services, and the
      // closed network refuses those connections.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // One portal and one database serve the whole run, so order matters: the checks of a portal that
  // was never set up (smoke.spec.ts; read-only) run first, then first-run setup (setup.spec.ts, which
  // creates the administrator of e2e/helpers.ts), then everything else, which signs in as needed.
  // A future project that signs in once per role and saves its storage state belongs after 'setup'.
  projects: [
    { name: 'first-run', testMatch: /smoke\.spec\.ts$/ },
    { name: 'setup', testMatch: /setup\.spec\.ts$/, dependencies: ['first-run'] },
    { name: 'chromium', testIgnore: /(smoke|setup)\.spec\.ts$/, dependencies: ['setup'] },
  ],
  webServer: {
    command: `node node_modules/next/dist/bin/next start -p ${PORT}`,
    url: `${APP_URL}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // SIGTERM lets the portal close its embedded database cleanly.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: {
      NODE_ENV: 'production',
      DATA_DIR,
      DATABASE_URL: '', // unset: the embedded PGlite database in DATA_DIR
      SMTP_URL: '', // unset: mail goes to the outbox shown at /dev/mailbox
      APP_URL,
      AUTH_SECRET,
      LOG_LEVEL: 'warn',
      // Lets journeys move the server's clock forward instead of sleeping (lib/clock.ts).
      GATEHOUSE_TEST_CLOCK: '1',
    },
  },
})
