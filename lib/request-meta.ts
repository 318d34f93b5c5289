/** Client address and agent for the audit trail; the first X-Forwarded-For hop when behind a proxy. */
export function clientMeta(headers: Headers): { ip: string | null; userAgent: string | null } {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim()
  return { ip: (forwarded || headers.get('x-real-ip') || null)?.slice(0, 64) ?? null, userAgent: headers.get('user-agent')?.slice(0, 512) ?? null }
}
