import type { Ctx } from '@/lib/context'

// Stand-ins for the parts of Next.js (and our request context) that only work inside a request, so
// server actions and server-component pages can run in-process. A test file installs the ones it
// needs; `vi.mock` calls are hoisted per file, so each file names them itself:
//
//   vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))
//
// and imports `current`, `Redirect`, `form`… from here to drive and inspect them.

/** The request context the stubbed `@/lib/request` hands out; set `current.ctx` to act as someone. */
export const current: { ctx: Ctx } = { ctx: { actor: null } }

/** What `forbidden()`, `notFound()` and `redirect()` throw; the message says which and where. */
export class NavigationError extends Error {}

export class Redirect extends NavigationError {
  constructor(readonly url: string) {
    super(`redirect ${url}`)
  }
}

export const request = {
  getRequestContext: async () => current.ctx,
  requireMemberContext: async () => current.ctx,
}

export const cache = { revalidatePath: () => {} }

export const navigation = {
  redirect: (url: string): never => {
    throw new Redirect(url)
  },
  forbidden: (): never => {
    throw new NavigationError('forbidden')
  },
  notFound: (): never => {
    throw new NavigationError('not found')
  },
  // Like Next's: navigation signals pass through an action's catch-all, everything else is handled.
  unstable_rethrow: (e: unknown) => {
    if (e instanceof NavigationError) throw e
  },
}

export const headers = { headers: async () => new Headers({ 'user-agent': 'vitest', 'x-forwarded-for': '203.0.113.9' }) }

/** The browser's cookies as `cookies()` of the stubbed `next/headers` sees and sets them. */
export type Cookie = { value: string; path?: string; expires?: Date; maxAge?: number; httpOnly?: boolean }
export const jar = new Map<string, Cookie>()

/** `next/headers` with a cookie jar, for actions that set cookies (the hosted stage pages). */
export const headersWithCookies = {
  ...headers,
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)!.value } : undefined),
    set: (name: string, value: string, options: Omit<Cookie, 'value'>) => void jar.set(name, { value, ...options }),
  }),
}

export const nextAuth = { AuthError: class AuthError extends Error {} }

/** A form submission as the browser sends it; an array value repeats the field (checkboxes). */
export function form(values: Record<string, string | string[] | Blob>): FormData {
  const data = new FormData()
  for (const [k, v] of Object.entries(values)) for (const one of Array.isArray(v) ? v : [v]) data.append(k, one)
  return data
}

/** Where an action redirected to; fails when it returned or threw anything else. */
export async function redirected(p: Promise<unknown>): Promise<string> {
  const error = await p.then(
    (v) => v,
    (e) => e,
  )
  if (!(error instanceof Redirect)) throw new Error(`expected a redirect, got ${JSON.stringify(error)}`)
  return error.url
}
