// Entry point of `gatehouse` (started by scripts/gatehouse.mjs from the project root). It owns
// the process: it loads the configuration, runs one command, closes the database and exits.

// A bundled CommonJS module whose named exports Node cannot detect, so take the default export.
import nextEnv from '@next/env'
import { closeDatabase } from '@/db/client'
import { EXIT_FAILURE, runCli } from './run'
import type { Output } from './command'

// The portal reads .env files through Next.js; without the same files the CLI could silently
// open the embedded database while the portal runs on DATABASE_URL.
nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== 'production', { info: () => {}, error: (...args) => console.error(...args) })

const output: Output = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
}

const flush = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()))

let code: number
try {
  code = await runCli(process.argv.slice(2), output)
} catch (error) {
  // runCli reports every expected failure itself; this is a bug in the CLI, so keep the stack.
  output.err(`gatehouse: ${(error as Error).stack ?? String(error)}`)
  code = EXIT_FAILURE
}

// If something still holds the event loop after closing (a stuck socket), exit anyway; the
// embedded database's exit hook still releases the lock in the data directory.
setTimeout(() => process.exit(code), 10_000).unref()
try {
  // Stops the embedded server when this command hosted it, so the portal can open the data directory next.
  await closeDatabase()
} catch (error) {
  output.err(`gatehouse: closing the database failed: ${(error as Error).message}`)
  code ||= EXIT_FAILURE
}
await Promise.all([flush(process.stdout), flush(process.stderr)])
process.exit(code)
