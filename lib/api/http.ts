import { randomBytes } from 'node:crypto'

// Small HTTP helpers shared by the token endpoint and the REST handlers.

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/

/**
 * The request's trace id: the caller's W3C `traceparent` trace id when it sends a valid one (so a
 * problem can be found in both systems' logs), else 32 random hex digits.
 */
export function traceIdOf(request: Request): string {
  const fromCaller = TRACEPARENT.exec(request.headers.get('traceparent')?.trim().toLowerCase() ?? '')?.[1]
  return fromCaller && !/^0+$/.test(fromCaller) ? fromCaller : randomBytes(16).toString('hex')
}

/** `application/x-www-form-urlencoded; charset=UTF-8` → `application/x-www-form-urlencoded`. */
export function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';', 1)[0].trim().toLowerCase()
}

/** The body as text, or null when it is larger than `maxBytes` (read no further than that). */
export async function readBodyText(request: Request, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > maxBytes) return null
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => {})
      return null
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** RFC 6749 §5.1: responses carrying tokens (and their errors) are never cached. */
export const NO_STORE_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const
