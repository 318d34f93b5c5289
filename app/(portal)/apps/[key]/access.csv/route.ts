import { whoHasAccess } from '@/lib/access/who-has-access'
import { getApp } from '@/lib/apps/get-app'
import { DomainError } from '@/lib/errors'
import { getRequestContext } from '@/lib/request'

// Rows per query while streaming: each batch is one keyset page, checked for permission again.
const BATCH = 1000

const cell = (v: string) => {
  // Quote every field; a leading = + - @ would make spreadsheets run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
  return `"${safe.replace(/"/g, '""')}"`
}

/** Who has access to an app in a stage, as CSV, streamed a batch at a time (AUTHZ-7). */
export async function GET(request: Request, { params }: { params: Promise<{ key: string }> }) {
  const { key } = await params
  const url = new URL(request.url)
  const ctx = await getRequestContext()
  try {
    const app = await getApp(ctx, { appKey: key })
    const stage = app.stages.find((s) => s.deployed && s.code === url.searchParams.get('stage'))
    if (!stage) return Response.json({ title: 'Choose a stage the app is deployed to.', status: 400 }, { status: 400, headers: { 'content-type': 'application/problem+json' } })
    const appRoleKey = url.searchParams.get('role') ?? ''
    const first = await whoHasAccess(ctx, { appKey: app.key, stageKey: stage.key, appRoleKey, perPage: BATCH })
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode('name,email,status,access\r\n'))
        let page = first
        for (;;) {
          const lines = page.rows.map((r) => [r.name, r.email ?? '', r.status, r.how.join('; ')].map(cell).join(',')).join('\r\n')
          if (lines) controller.enqueue(encoder.encode(lines + '\r\n'))
          if (!page.next) break
          page = await whoHasAccess(ctx, { appKey: app.key, stageKey: stage.key, appRoleKey, perPage: BATCH, after: page.next })
        }
        controller.close()
      },
    })
    const name = `${app.name.replace(/[^\w.-]+/g, '-').slice(0, 60)}-${stage.code}-access.csv`
    return new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' } })
  } catch (error) {
    if (error instanceof DomainError) return Response.json({ title: error.message, status: error.status }, { status: error.status, headers: { 'content-type': 'application/problem+json' } })
    throw error
  }
}
