import { parseArgs, type ParseArgsConfig } from 'node:util'
import { env } from '@/lib/env'
import { DomainError, type FieldErrors } from '@/lib/errors'
import type { Command, OptionSpecs, Output } from './command'
import { commands as registry } from './commands'

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

// Options every command accepts; a command cannot redefine them.
const GLOBAL_OPTIONS: OptionSpecs = {
  json: { type: 'boolean', description: 'Print exactly one JSON object on stdout (for scripts).' },
  help: { type: 'boolean', short: 'h', description: 'Show help for the command.' },
}

class UsageError extends Error {}

function optionLabel(name: string, spec: OptionSpecs[string]): string {
  const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}`
  return spec.type === 'string' ? `${flag} ${spec.valueName ?? 'VALUE'}` : flag
}

function table(rows: [string, string][]): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length))
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)
}

export function usage(commands: readonly Command[] = registry): string[] {
  return [
    'Usage: gatehouse <command> [options]',
    '',
    'Operator commands for a Gatehouse deployment. They use the same configuration as the portal',
    '(environment and .env files: DATABASE_URL, DATA_DIR, APP_URL, SMTP_URL, …).',
    '',
    'Commands:',
    ...table([...commands.map((c): [string, string] => [c.name, c.summary]), ['help [command]', 'Show this help, or the help of one command.']]),
    '',
    'Global options:',
    ...table(Object.entries(GLOBAL_OPTIONS).map(([name, spec]): [string, string] => [optionLabel(name, spec), spec.description])),
    '',
    "Run 'gatehouse help <command>' for the options of a command.",
  ]
}

export function commandUsage(command: Command): string[] {
  const required = Object.entries(command.options).filter(([, s]) => s.required)
  const synopsis = ['gatehouse', command.name, ...required.map(([n, s]) => optionLabel(n, s)), '[options]'].join(' ')
  const options = { ...command.options, ...GLOBAL_OPTIONS }
  return [
    `Usage: ${synopsis}`,
    '',
    command.summary,
    ...(command.details?.length ? ['', ...command.details] : []),
    '',
    'Options:',
    ...table(Object.entries(options).map(([name, spec]): [string, string] => [optionLabel(name, spec), spec.description + (spec.required ? ' (required)' : '')])),
  ]
}

function oneLine(message: string, fieldErrors: FieldErrors): string {
  const details = Object.entries(fieldErrors).map(([field, messages]) => `${field}: ${messages.join(' ')}`)
  return details.length ? `${message} (${details.join('; ')})` : message
}

function debugEnabled(): boolean {
  try {
    return env().LOG_LEVEL === 'debug'
  } catch {
    return false
  }
}

// pg reports an unreachable or misconfigured server with these; they are the operator's to fix,
// so they read as a sentence rather than a crash.
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', '3D000', '28P01', '28000'])

type Failure = { code: string; message: string; fieldErrors: FieldErrors; stack?: string }

function describeFailure(error: unknown): Failure {
  if (error instanceof DomainError) {
    const fieldErrors = 'fieldErrors' in error ? (error.fieldErrors as FieldErrors) : {}
    return { code: error.code, message: error.message, fieldErrors }
  }
  const e = error as NodeJS.ErrnoException & { code?: string }
  const message = e instanceof Error ? e.message : String(error)
  if (message.startsWith('Invalid configuration')) return { code: 'InvalidConfiguration', message, fieldErrors: {} }
  if (e && typeof e.code === 'string' && CONNECTION_CODES.has(e.code))
    return { code: 'DatabaseUnavailable', message: `Cannot use the database: ${message || e.code}`, fieldErrors: {} }
  return { code: 'InternalError', message, fieldErrors: {}, stack: e instanceof Error ? e.stack : undefined }
}

/**
 * Runs one command line and returns the exit code: 0 done, 1 the command failed (the message says
 * why), 2 the command line itself is wrong. Never exits the process and never closes the
 * database: the caller owns both (lib/cli/main.ts, or a test).
 */
export async function runCli(argv: readonly string[], output: Output, commands: readonly Command[] = registry): Promise<number> {
  const [name, ...rest] = argv
  const wantsJson = rest.includes('--json')

  const usageError = (commandName: string | undefined, message: string): number => {
    const prefix = commandName ? `gatehouse ${commandName}` : 'gatehouse'
    output.err(`${prefix}: ${message}`)
    output.err(`Run 'gatehouse help${commandName ? ` ${commandName}` : ''}' for usage.`)
    if (wantsJson) output.out(JSON.stringify({ error: { code: 'UsageError', message, fieldErrors: {} } }))
    return EXIT_USAGE
  }

  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest.find((a) => !a.startsWith('-')) : undefined
    if (topic === undefined) {
      usage(commands).forEach(output.out)
      return EXIT_OK
    }
    const command = commands.find((c) => c.name === topic)
    if (!command) return usageError(undefined, `unknown command '${topic}'.`)
    commandUsage(command).forEach(output.out)
    return EXIT_OK
  }

  const command = commands.find((c) => c.name === name)
  if (!command) return usageError(undefined, name.startsWith('-') ? `unknown option '${name}'; a command comes first.` : `unknown command '${name}'.`)

  let options: Record<string, string | string[] | boolean | undefined>
  try {
    const config: ParseArgsConfig['options'] = {}
    for (const [optionName, spec] of Object.entries({ ...command.options, ...GLOBAL_OPTIONS }))
      config[optionName] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) }
    ;({ values: options } = parseArgs({ args: [...rest], options: config, strict: true, allowPositionals: false }) as { values: typeof options })
    if (options.help) {
      commandUsage(command).forEach(output.out)
      return EXIT_OK
    }
    const missing = Object.entries(command.options).filter(([n, s]) => s.required && options[n] === undefined)
    if (missing.length) throw new UsageError(`missing ${missing.map(([n, s]) => optionLabel(n, s)).join(', ')}.`)
  } catch (error) {
    // parseArgs explains unknown options, missing values and stray arguments in its own words.
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return usageError(command.name, (error as Error).message)
    throw error
  }

  const json = options.json === true
  for (const [optionName, spec] of Object.entries(command.options)) {
    if (spec.type === 'boolean') options[optionName] = options[optionName] === true
    else if (spec.multiple) options[optionName] ??= []
  }
  try {
    const result = await command.run({ options: options as never, json, note: output.err })
    if (json) output.out(JSON.stringify(result.data))
    else result.lines.forEach(output.out)
    return EXIT_OK
  } catch (error) {
    const failure = describeFailure(error)
    if (json) output.out(JSON.stringify({ error: { code: failure.code, message: failure.message, fieldErrors: failure.fieldErrors } }))
    else output.err(`gatehouse ${command.name}: ${oneLine(failure.message, failure.fieldErrors)}`)
    // A stack helps with a bug, not with a mistyped email: only unexpected errors get one, on request.
    if (failure.stack) output.err(debugEnabled() ? failure.stack : 'This looks like a bug or an environment problem; run with LOG_LEVEL=debug for details.')
    return EXIT_FAILURE
  }
}
