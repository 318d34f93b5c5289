#!/usr/bin/env node
// Finds a Chromium for Playwright. Playwright's own browser download does not work on the machines
// this project runs on, so the system Chromium is the normal case:
//   1. CHROMIUM_PATH or PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, when set (must exist);
//   2. /usr/bin/chromium, /usr/bin/chromium-browser;
//   3. Playwright's own Chromium, if it happens to be installed;
//   4. as root on Debian: `apt-get install -y chromium`, then /usr/bin/chromium;
//   otherwise a one-line instruction (CLI: exit code 1).
//
// Module: `findChromium({ install })` returns the path or throws ChromiumNotFoundError.
// CLI:    `node scripts/find-chromium.mjs [--no-install]` prints the path.
// Everything is synchronous so that playwright.config.ts can call it at load time.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser']
const ENV_NAMES = ['CHROMIUM_PATH', 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH']

export const INSTRUCTION =
  'No Chromium found: install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium executable.'

export class ChromiumNotFoundError extends Error {
  constructor(message = INSTRUCTION) {
    super(message)
    this.name = 'ChromiumNotFoundError'
  }
}

/** Playwright's own Chromium, if its package is installed and the browser is on disk. */
function playwrightChromium() {
  const require = createRequire(import.meta.url)
  for (const id of ['playwright-core', 'playwright', '@playwright/test']) {
    try {
      const path = require(id).chromium.executablePath()
      if (path && existsSync(path)) return path
    } catch {
      // not installed, or no browser registered for this platform
    }
  }
  return undefined
}

/** The first Chromium already on this machine, without installing anything. */
export function locateChromium(env = process.env) {
  for (const name of ENV_NAMES) {
    const value = env[name]?.trim()
    if (!value) continue
    const path = resolve(value)
    if (!existsSync(path)) throw new ChromiumNotFoundError(`${name} is set to ${value}, which does not exist: fix or unset it.`)
    return path
  }
  return SYSTEM_PATHS.find((p) => existsSync(p)) ?? playwrightChromium()
}

export function canInstallWithApt() {
  return process.platform === 'linux' && existsSync('/etc/debian_version') && typeof process.getuid === 'function' && process.getuid() === 0
}

function run(command, args) {
  const result = spawnSync(command, args, {
    // Progress goes to stderr so that the CLI's stdout carries only the path.
    stdio: ['ignore', process.stderr, process.stderr],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  if (result.error) throw new ChromiumNotFoundError(`${command} ${args.join(' ')} could not run (${result.error.message}). ${INSTRUCTION}`)
  if (result.status !== 0) throw new ChromiumNotFoundError(`${command} ${args.join(' ')} failed with exit code ${result.status}. ${INSTRUCTION}`)
}

export function installChromium() {
  process.stderr.write('No Chromium found; installing the Debian package `chromium` with apt-get…\n')
  run('apt-get', ['update'])
  run('apt-get', ['install', '-y', 'chromium'])
  const path = SYSTEM_PATHS.find((p) => existsSync(p))
  if (!path) throw new ChromiumNotFoundError(`apt-get installed chromium but none of ${SYSTEM_PATHS.join(', ')} exists. ${INSTRUCTION}`)
  return path
}

/** The Chromium executable to use; installs it when allowed and possible, else throws ChromiumNotFoundError. */
export function findChromium({ install = true, env = process.env } = {}) {
  const found = locateChromium(env)
  if (found) return found
  if (install && canInstallWithApt()) return installChromium()
  throw new ChromiumNotFoundError()
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (invokedDirectly) {
  try {
    process.stdout.write(`${findChromium({ install: !process.argv.includes('--no-install') })}\n`)
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  }
}
