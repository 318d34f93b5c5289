#!/usr/bin/env node
// `npm run test:e2e [-- <playwright args>]`: the end-to-end tests against a production build.
//   1. find (or, as root on Debian, install) a Chromium — scripts/find-chromium.mjs;
//   2. `next build` when .next/BUILD_ID is missing or older than the sources (always when CI=true),
//      here rather than in the web server command so that a build failure is reported as such;
//   3. `playwright test <args>` with a fresh embedded database (playwright.config.ts starts the portal);
// and exits with Playwright's exit code.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { findChromium } from './find-chromium.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`
const say = (line) => process.stdout.write(`[e2e] ${line}\n`)
const fail = (line, code = 1) => {
  process.stderr.write(`[e2e] ${line}\n`)
  process.exit(code)
}

// Directories and files that do not go into the production build.
const NOT_SOURCES = new Set(['node_modules', '.next', '.data', '.git', '.ci', 'e2e', 'test', 'bench', 'test-results', 'playwright-report', 'coverage'])
const NOT_SOURCE_FILES = /(\.test\.tsx?|\.tsbuildinfo|^playwright\.config\.ts|^vitest\.config\.ts|^README.*|\.md)$/

/** The newest modification time among the files the build reads. */
function newestSource(dir = root) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (NOT_SOURCES.has(entry.name) || NOT_SOURCE_FILES.test(entry.name)) continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full))
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs)
  }
  return newest
}

function buildReason() {
  if (process.env.CI === 'true') return 'CI=true'
  const buildId = path.join(root, '.next', 'BUILD_ID')
  if (!existsSync(buildId)) return 'no production build yet'
  if (newestSource() > statSync(buildId).mtimeMs) return 'sources changed since the last build'
  return undefined
}

// Nothing here may phone home: the network is closed.
process.env.NEXT_TELEMETRY_DISABLED = '1'

// 1. Chromium
let chromium
try {
  chromium = findChromium()
} catch (error) {
  fail(error instanceof Error ? error.message : String(error))
}
say(`Chromium: ${chromium}`)
process.env.CHROMIUM_PATH = chromium // playwright.config.ts (and its workers) find it without searching again

// 2. Production build
const reason = buildReason()
if (reason) {
  say(`next build (${reason})…`)
  const started = Date.now()
  // The build must not need a database: give it no DATABASE_URL and a data directory that must
  // still not exist afterwards.
  const probe = path.join(os.tmpdir(), `gatehouse-build-probe-${process.pid}-${Date.now()}`)
  const env = { ...process.env, DATA_DIR: probe }
  delete env.DATABASE_URL
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], { cwd: root, env, stdio: 'inherit' })
  const opened = existsSync(probe)
  rmSync(probe, { recursive: true, force: true })
  if (build.error) fail(`next build could not run: ${build.error.message}`)
  if (build.status !== 0) fail(`next build failed (exit code ${build.status}) after ${seconds(started)}; the end-to-end tests did not run.`, build.status ?? 1)
  if (opened) {
    rmSync(path.join(root, '.next', 'BUILD_ID'), { force: true }) // so that the next run builds (and checks) again
    fail('next build opened the embedded database (it created its DATA_DIR); the build must not need a database.')
  }
  say(`next build done in ${seconds(started)}`)
} else {
  say('production build is up to date (.next/BUILD_ID is newer than the sources)')
}

// 3. Playwright, on a fresh embedded database
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-e2e-'))
process.env.GATEHOUSE_E2E_DATA_DIR = dataDir
const started = Date.now()
say(`playwright test ${args.join(' ')}`.trimEnd())
const result = spawnSync('npx', ['--no-install', 'playwright', 'test', ...args], { cwd: root, stdio: 'inherit' })
if (result.error) fail(`playwright could not run: ${result.error.message}`)
const code = result.status ?? 1
if (code === 0) rmSync(dataDir, { recursive: true, force: true })
else say(`the portal's database of this run is kept in ${dataDir}`)
say(`playwright finished in ${seconds(started)} with exit code ${code}`)
process.exit(code)
