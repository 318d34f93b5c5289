import { z } from 'zod'
import { emailSchema, uuidSchema } from '../validation'
import { DURATION_UNITS, SESSION_RANGE, toMinutes } from './durations'

// Shared by the settings forms (checked in the browser) and the use cases (checked again).

export const organizationNameSchema = z
  .string({ error: 'Enter the organization name.' })
  .trim()
  .min(1, 'Enter the organization name.')
  .max(120, 'Use at most 120 characters.')

export const updateOrganizationNameSchema = z.strictObject({ name: organizationNameSchema })

export const PASSWORD_POLICY_MODES = ['odc', 'asvs'] as const
export const updatePasswordPolicySchema = z.strictObject({ mode: z.enum(PASSWORD_POLICY_MODES, { error: 'Choose one of the two password rules.' }) })

export const stageNameSchema = z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(60, 'Stage names have at most 60 characters.')
export const renameStageSchema = z.strictObject({ stageKey: uuidSchema, name: stageNameSchema })

// ── Domains ─────────────────────────────────────────────────────────────────────────────────────

export const MAX_DOMAINS = 50

// Labels of letters, digits and hyphens (not at either end), at least two labels, and a top-level
// label that is not all digits (so an IP address is not taken for a domain).
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/

/** One entry as typed: trimmed, lower-cased, without a leading "@" or a trailing dot. */
export const normalizeDomain = (raw: string): string => raw.trim().toLowerCase().replace(/^@+/, '').replace(/\.$/, '')

export const isDomain = (domain: string): boolean => DOMAIN.test(domain)

/** Entries separated by new lines, commas, semicolons or spaces, as pasted into a text box. */
export const splitDomains = (text: string): string[] => text.split(/[\s,;]+/).filter(Boolean)

/**
 * A list of email domains, from an array (API, list editor) or one text (a text box): normalized,
 * validated as host names, deduplicated, at most 50. Errors stay on the field itself.
 */
export const domainListSchema = z
  .preprocess(
    (v) => (v === undefined || v === null ? [] : typeof v === 'string' ? splitDomains(v) : Array.isArray(v) ? v.flatMap((x) => (typeof x === 'string' ? splitDomains(x) : [x])) : v),
    z.array(z.string({ error: 'Enter domains as text.' }), { error: 'Enter a list of domains.' }),
  )
  .transform((list) => [...new Set(list.map(normalizeDomain).filter(Boolean))])
  .superRefine((list, ctx) => {
    const bad = list.filter((d) => !isDomain(d))
    for (const d of bad.slice(0, 5)) ctx.addIssue({ code: 'custom', message: `“${d}” is not a domain name. Enter domains like example.com.` })
    if (bad.length > 5) ctx.addIssue({ code: 'custom', message: `${bad.length - 5} more entries are not domain names either.` })
    if (list.length > MAX_DOMAINS) ctx.addIssue({ code: 'custom', message: `Enter at most ${MAX_DOMAINS} domains (there are ${list.length}).` })
  })

export const updateInternalDomainsSchema = z.strictObject({ domains: domainListSchema })

// ── Stage sessions ──────────────────────────────────────────────────────────────────────────────

const wholeNumber = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim())) : v),
  z.number({ error: 'Enter a whole number.' }).int('Enter a whole number.').min(1, 'Enter a number of at least 1.').max(1_000_000, 'That number is far too large.'),
)
const unit = z.enum(DURATION_UNITS, { error: 'Choose minutes, hours or days.' })

const sessionFields = { maxValue: wholeNumber, maxUnit: unit, idleValue: wholeNumber, idleUnit: unit }

type SessionFields = { maxValue: number; maxUnit: (typeof DURATION_UNITS)[number]; idleValue: number; idleUnit: (typeof DURATION_UNITS)[number] }

function checkSessionLimits(v: SessionFields, ctx: z.RefinementCtx) {
  const max = toMinutes(v.maxValue, v.maxUnit)
  const idle = toMinutes(v.idleValue, v.idleUnit)
  const maxOk = max >= SESSION_RANGE.max.min && max <= SESSION_RANGE.max.max
  const idleOk = idle >= SESSION_RANGE.idle.min && idle <= SESSION_RANGE.idle.max
  if (!maxOk) ctx.addIssue({ code: 'custom', path: ['maxValue'], message: 'The maximum session must be between 1 hour and 45 days.' })
  if (!idleOk) ctx.addIssue({ code: 'custom', path: ['idleValue'], message: 'The idle time must be between 5 minutes and 45 days.' })
  if (maxOk && idleOk && idle > max) ctx.addIssue({ code: 'custom', path: ['idleValue'], message: 'Idle time cannot be longer than the maximum session.' })
}

/** The form's fields alone, for checking in the browser (other fields pass through). */
export const stageSessionsFormSchema = z.object(sessionFields).superRefine(checkSessionLimits)

export const updateStageSessionsSchema = z
  .strictObject({ stageKey: uuidSchema, ...sessionFields })
  .superRefine(checkSessionLimits)
  .transform((v) => ({ stageKey: v.stageKey, maxMinutes: toMinutes(v.maxValue, v.maxUnit), idleMinutes: toMinutes(v.idleValue, v.idleUnit) }))
export type UpdateStageSessionsInput = z.input<typeof updateStageSessionsSchema>

// ── Self-registration ───────────────────────────────────────────────────────────────────────────

/** A checkbox: sent as "on" when ticked, absent when not; the API sends a boolean. */
const checkbox = z
  .union([z.boolean(), z.enum(['on', 'true', 'false', ''])], { error: 'Tick the box or leave it empty.' })
  .optional()
  .transform((v) => v === true || v === 'on' || v === 'true')

/** Checkboxes arrive as repeated values (one string when a single box is ticked). */
const keyList = z.preprocess(
  (v) => (v === undefined || v === null || v === '' ? [] : typeof v === 'string' ? [v] : v),
  z.array(z.string(), { error: 'Choose groups from the list.' }).max(500, 'Choose at most 500 groups.'),
)
  .refine((keys) => keys.every((k) => uuidSchema.safeParse(k).success), 'Choose groups from the list.')
  .transform((keys) => [...new Set(keys)])

export const updateSelfRegistrationSchema = z.strictObject({
  stageKey: uuidSchema,
  enabled: checkbox,
  allowedDomains: domainListSchema,
  groupKeys: keyList,
})
export type UpdateSelfRegistrationInput = z.input<typeof updateSelfRegistrationSchema>

// ── Email delivery ──────────────────────────────────────────────────────────────────────────────

export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/
const IPV6 = /^[0-9a-f:.]+$/

/** A host name (a single label such as "mailpit" is fine), an IPv4 address or an IPv6 address. */
export const isSmtpHost = (host: string): boolean => IPV4.test(host) || (HOSTNAME.test(host) && !/^[\d.]+$/.test(host)) || (host.includes(':') && IPV6.test(host))

/** The same machine: a password may cross that "network" without TLS (a local relay such as Mailpit). */
export const isLoopbackHost = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1'

const portSchema = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim())) : v),
  z
    .number({ error: 'Enter the port number, usually 587.' })
    .int('Enter a whole port number.')
    .min(1, 'Ports run from 1 to 65535.')
    .max(65535, 'Ports run from 1 to 65535.')
    .refine((p) => p !== 25, 'Port 25 is not allowed: it is for relaying between mail servers and is usually blocked. Use 587 (STARTTLS) or 465 (TLS).'),
)

const emailSettingsFields = {
  host: z
    .string({ error: 'Enter the SMTP server’s host name.' })
    .trim()
    .toLowerCase()
    .min(1, 'Enter the SMTP server’s host name.')
    .refine(isSmtpHost, 'Enter a host name such as smtp.example.com, or an IP address.'),
  port: portSchema,
  security: z.enum(SMTP_SECURITY, { error: 'Choose how the connection is secured.' }),
  username: z.string().trim().max(254, 'Usernames have at most 254 characters.').default(''),
  // Never trimmed: a password is what it is. Empty keeps the saved one.
  password: z.string().max(1024, 'That password is far too long.').default(''),
  fromName: z
    .string()
    .trim()
    .max(100, 'Use at most 100 characters.')
    .regex(/^[^\p{Cc}]*$/u, 'Use letters, digits, spaces and punctuation only.')
    .default(''),
  fromAddress: emailSchema,
}

type EmailSettingsFields = { host: string; security: (typeof SMTP_SECURITY)[number]; username: string; password: string }

function checkCredentials(v: EmailSettingsFields, ctx: z.RefinementCtx) {
  if (v.password && !v.username) ctx.addIssue({ code: 'custom', path: ['username'], message: 'Enter the username that goes with the password, or leave the password empty.' })
  if (v.username && v.security === 'none' && !isLoopbackHost(v.host))
    ctx.addIssue({ code: 'custom', path: ['security'], message: 'Without TLS the password would cross the network in clear. Choose STARTTLS or TLS, or leave username and password empty.' })
}

export const emailSettingsFormSchema = z.object(emailSettingsFields).superRefine(checkCredentials)
export const saveEmailSettingsSchema = z.strictObject(emailSettingsFields).superRefine(checkCredentials)
export type SaveEmailSettingsInput = z.input<typeof saveEmailSettingsSchema>

export const sendTestEmailSchema = z.strictObject({ to: emailSchema })
export const removeEmailSettingsSchema = z.strictObject({})

// ── API limits ──────────────────────────────────────────────────────────────────────────────────

/** Bounds of the organization's API limits (API-3, APIC-1): generous, but never "no limit". */
export const API_LIMIT_RANGES = {
  apiRateLimit: { min: 1, max: 100_000, label: 'Requests a minute, per API' },
  bulkRateLimit: { min: 1, max: 1_000, label: 'Bulk user creations a minute' },
  apiClientLimit: { min: 1, max: 1_000, label: 'API clients' },
} as const

const limitNumber = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim().replace(/[,_\s]/g, ''))) : v),
    z
      .number({ error: 'Enter a whole number.' })
      .int('Enter a whole number.')
      .min(min, `Enter at least ${min.toLocaleString('en')}.`)
      .max(max, `Enter at most ${max.toLocaleString('en')}.`),
  )

export const updateApiLimitsSchema = z
  .strictObject({
    apiRateLimit: limitNumber(API_LIMIT_RANGES.apiRateLimit.min, API_LIMIT_RANGES.apiRateLimit.max),
    bulkRateLimit: limitNumber(API_LIMIT_RANGES.bulkRateLimit.min, API_LIMIT_RANGES.bulkRateLimit.max),
    apiClientLimit: limitNumber(API_LIMIT_RANGES.apiClientLimit.min, API_LIMIT_RANGES.apiClientLimit.max),
  })
  .refine((v) => v.bulkRateLimit <= v.apiRateLimit, {
    path: ['bulkRateLimit'],
    message: 'Bulk calls also count toward the requests a minute, so this cannot be higher.',
    // Only once both numbers are valid: a bad one has its own message.
    when: (payload) => payload.issues.length === 0,
  })
export type ApiLimits = { apiRateLimit: number; bulkRateLimit: number; apiClientLimit: number }
