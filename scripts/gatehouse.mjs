#!/usr/bin/env node
// Launcher for the operator CLI (lib/cli/main.ts). The CLI is TypeScript that shares the portal's
// modules, so it runs under tsx, with the react-server condition that turns the `server-only`
// guard of those modules into a no-op. Node only takes --conditions at start-up, hence a child.
import { spawn } from 'node:child_process'
import { realpathSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// Relative to this file, not the caller's directory: the bin entry can be run from anywhere.
const here = path.dirname(realpathSync(fileURLToPath(import.meta.url)))
const root = path.resolve(here, '..')
const tsx = import.meta.resolve('tsx')

const child = spawn(
  process.execPath,
  ['--conditions=react-server', '--import', tsx, path.join(root, 'lib', 'cli', 'main.ts'), ...process.argv.slice(2)],
  // The portal resolves .data/, db/migrations/, tsconfig paths and .env files from the project root.
  { cwd: root, stdio: 'inherit', env: process.env },
)

// Ctrl-C reaches the child directly (same process group); forwarding it too would interrupt the
// child's orderly shutdown of the embedded database. Signals aimed at the launcher alone are passed on.
process.on('SIGINT', () => {})
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))

child.on('error', (error) => {
  console.error(`gatehouse: could not start Node.js: ${error.message}`)
  process.exit(1)
})
child.on('exit', (code, signal) => {
  if (signal) {
    // Die of the same signal so that shells and supervisors see what happened.
    process.removeAllListeners(signal)
    process.kill(process.pid, signal)
    return
  }
  process.exit(code ?? 1)
})
