import { advanceTestClock, now, testClockEnabled } from '@/lib/clock'

// End-to-end tests move the server's clock forward here instead of sleeping. Absent (404) unless
// GATEHOUSE_TEST_CLOCK=1, which lib/env.ts allows only for a server on localhost.
export const dynamic = 'force-dynamic'

export async function GET() {
  if (!testClockEnabled()) return new Response(null, { status: 404 })
  return Response.json({ now: now().toISOString() })
}

export async function POST(request: Request) {
  if (!testClockEnabled()) return new Response(null, { status: 404 })
  const body = (await request.json().catch(() => null)) as { advanceSeconds?: unknown } | null
  const seconds = body?.advanceSeconds
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || Math.abs(seconds) > 400 * 86_400)
    return Response.json({ error: 'advanceSeconds must be a number of seconds' }, { status: 400 })
  return Response.json({ now: advanceTestClock(seconds * 1000).toISOString() })
}
