// Next.js calls register() once when a server process starts (next start, next dev), never during
// `next build`. The job runner needs Node.js (database drivers, timers), so it starts only in the
// Node.js runtime; the check must read NEXT_RUNTIME inline for the edge bundle to drop the import.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  // Next already skips register() while building; this guard keeps a build from opening the database if that changes.
  if (process.env.NEXT_PHASE === 'phase-production-build') return
  const { startJobRunner } = await import('./lib/jobs/start')
  startJobRunner()
}
