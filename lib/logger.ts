import { env } from './env'

type Level = 'debug' | 'info' | 'warn' | 'error'
const order: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

// Field names whose values never reach a log line, whatever the caller passes.
const SECRET = /pass(word)?|secret|token|code|cookie|authorization/i

function scrub(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET.test(k)) out[k] = '[redacted]'
    else if (v instanceof Error) out[k] = { name: v.name, message: v.message, stack: v.stack }
    else out[k] = v
  }
  return out
}

function write(level: Level, message: string, fields: Record<string, unknown> = {}) {
  let threshold: Level | 'silent' = 'info'
  try {
    threshold = env().LOG_LEVEL
  } catch {
    // configuration errors are reported elsewhere; logging keeps working
  }
  if (order[level] < order[threshold]) return
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...scrub(fields) })
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\n')
  else process.stdout.write(line + '\n')
}

export const logger = {
  debug: (m: string, f?: Record<string, unknown>) => write('debug', m, f),
  info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
  warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
  error: (m: string, f?: Record<string, unknown>) => write('error', m, f),
}
