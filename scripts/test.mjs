#!/usr/bin/env node
// `npm test`: every check, in order, stopping at the first failure:
//   types (tsc --noEmit) → lint (eslint .) → vitest (unit, PGlite, and PostgreSQL when
//   TEST_DATABASE_URL is set — vitest.config.ts decides) → end-to-end (scripts/e2e.mjs).
// Ends with one line `N passed, M failed`: tests counted over vitest and Playwright from their JSON
// reports. A stage that fails without a failed test (type or lint errors, a crash, a failed build)
// counts as one failure, so the line never reads "0 failed" when the run failed.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const reports = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-reports-'))
const vitestReport = path.join(reports, 'vitest.json')
const playwrightReport = path.join(reports, 'playwright.json')

const bin = (name) => path.join(root, 'node_modules', '.bin', name)

const stages = [
  { name: 'Types (tsc --noEmit)', command: bin('tsc'), args: ['--noEmit'] },
  { name: 'Lint (eslint .)', command: bin('eslint'), args: ['.'] },
  {
    name: `Unit and integration tests (vitest run${process.env.TEST_DATABASE_URL ? ', with PostgreSQL from TEST_DATABASE_URL' : ', PGlite only: TEST_DATABASE_URL is not set'})`,
    command: bin('vitest'),
    args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`],
    count: () => countVitest(vitestReport),
  },
  {
    name: 'End-to-end tests (scripts/e2e.mjs → playwright test)',
    command: process.execPath,
    args: [path.join(root, 'scripts', 'e2e.mjs'), '--reporter=list,json'],
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightReport },
    count: () => countPlaywright(playwrightReport),
  },
]

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined // the tool crashed before writing its report, or did not run
  }
}

function countVitest(file) {
  const report = readJson(file)
  if (!report) return undefined
  return { passed: report.numPassedTests ?? 0, failed: report.numFailedTests ?? 0 }
}

function countPlaywright(file) {
  const stats = readJson(file)?.stats
  if (!stats) return undefined
  // A flaky test (passed on a retry) passed; retries are 0 in this project anyway.
  return { passed: (stats.expected ?? 0) + (stats.flaky ?? 0), failed: stats.unexpected ?? 0 }
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`
const rule = '='.repeat(72)

let passed = 0
let failed = 0
let failedStage
const timings = []
const runStarted = Date.now()

for (const [index, stage] of stages.entries()) {
  process.stdout.write(`\n${rule}\n[${index + 1}/${stages.length}] ${stage.name}\n${rule}\n`)
  const started = Date.now()
  const result = spawnSync(stage.command, stage.args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...stage.env } })
  const elapsed = Date.now() - started
  const code = result.error ? 1 : (result.status ?? 1)
  if (result.error) process.stderr.write(`could not run ${stage.command}: ${result.error.message}\n`)

  const counted = stage.count?.()
  if (counted) {
    passed += counted.passed
    failed += counted.failed
  }
  const ok = code === 0
  if (!ok && !(counted && counted.failed > 0)) failed += 1
  timings.push(`${stage.name}: ${ok ? 'ok' : `FAILED (exit code ${code})`} in ${seconds(elapsed)}`)
  if (!ok) {
    failedStage = stage.name
    break
  }
}

process.stdout.write(`\n${rule}\n`)
for (const line of timings) process.stdout.write(`${line}\n`)
const skipped = stages.length - timings.length
if (skipped > 0) process.stdout.write(`Not run after the failure: ${stages.slice(timings.length).map((s) => s.name).join('; ')}\n`)
process.stdout.write(`Total: ${seconds(Date.now() - runStarted)}${failedStage ? ` — stopped at: ${failedStage}` : ''}\n`)
process.stdout.write(`${rule}\n`)
process.stdout.write(`${passed} passed, ${failed} failed\n`)

rmSync(reports, { recursive: true, force: true })
process.exit(failedStage ? 1 : 0)
