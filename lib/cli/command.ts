import { systemCtx, type Ctx } from '@/lib/context'

/**
 * Where a command's words go. Commands never touch process.stdout or process.exit themselves, so
 * the tests can run them in-process and read what an operator would have seen.
 */
export type Output = {
  out: (line: string) => void
  err: (line: string) => void
}

export type OptionSpec = {
  type: 'string' | 'boolean'
  description: string
  short?: string
  /** Shown in the usage text, e.g. EMAIL for `--email EMAIL`. */
  valueName?: string
  required?: boolean
  /** A string option that may be given several times (`--permission a --permission b`); its value is a list. */
  multiple?: boolean
}

export type OptionSpecs = Record<string, OptionSpec>

export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : O[K]['required'] extends true ? string : string | undefined
}

/** What a successful command reports: `lines` for people, `data` (one JSON object) for scripts under --json. */
export type CommandResult = { lines: string[]; data: Record<string, unknown> }

export type CommandRun<O extends OptionSpecs> = (args: {
  options: OptionValues<O>
  json: boolean
  /** Progress or warnings while the command works; always stderr, so stdout stays parseable under --json. */
  note: (line: string) => void
}) => Promise<CommandResult>

export type Command<O extends OptionSpecs = OptionSpecs> = {
  name: string
  summary: string
  /** Extra paragraphs for `gatehouse help <command>`. */
  details?: string[]
  options: O
  run: CommandRun<O>
}

/** Keeps the option names and types of one command tied to its run function. */
export function defineCommand<const O extends OptionSpecs>(command: Command<O>): Command<O> {
  return command
}

/** The audit trail names the CLI as the actor of everything it changes. */
export const CLI_ACTOR_LABEL = 'gatehouse CLI'

export const cliCtx = (): Ctx => systemCtx(CLI_ACTOR_LABEL)
