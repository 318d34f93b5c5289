import { z } from 'zod'

// The only place that reads process.env (STYLE: configuration). Read lazily so that `next build`
// and tests never need a real configuration.
const DEV_SECRET = 'gatehouse-development-secret-do-not-use-in-production'

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// or postgresql:// URL' }).optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters (try: openssl rand -base64 33)').optional(),
    APP_URL: z.url({ error: 'APP_URL must be an absolute URL such as https://gatehouse.example.com' }).optional(),
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'SMTP_URL must look like smtp://user:pass@host:587 or smtps://…' }).optional(),
    MAIL_FROM: z.string().min(3).default('Gatehouse <no-reply@gatehouse.local>'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    // End-to-end tests only: lets /api/test/clock move the server's clock forward (lib/clock.ts).
    GATEHOUSE_TEST_CLOCK: z.stringbool().default(false),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return
    if (!env.AUTH_SECRET || env.AUTH_SECRET === DEV_SECRET)
      ctx.addIssue({ code: 'custom', path: ['AUTH_SECRET'], message: 'AUTH_SECRET is required in production (at least 32 random characters)' })
    // A production build under end-to-end test serves loopback only; anything public must keep real time.
    if (env.GATEHOUSE_TEST_CLOCK && !/^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/?$/.test(env.APP_URL ?? ''))
      ctx.addIssue({ code: 'custom', path: ['GATEHOUSE_TEST_CLOCK'], message: 'GATEHOUSE_TEST_CLOCK is for end-to-end tests on localhost; unset it' })
    if (!env.APP_URL) ctx.addIssue({ code: 'custom', path: ['APP_URL'], message: 'APP_URL is required in production (the public URL of the portal)' })
  })

export type Env = z.infer<typeof schema> & { AUTH_SECRET: string; APP_URL: string }

let cached: Env | undefined

function blankToUndefined(source: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const name of Object.keys(schema.shape)) {
    const value = source[name]
    out[name] = value === undefined || value.trim() === '' ? undefined : value.trim()
  }
  return out
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(blankToUndefined(source))
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || 'config'}: ${i.message}`)
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const env = result.data
  return { ...env, AUTH_SECRET: env.AUTH_SECRET ?? DEV_SECRET, APP_URL: env.APP_URL ?? 'http://localhost:3000' }
}

export function env(): Env {
  cached ??= parseEnv(process.env)
  return cached
}
