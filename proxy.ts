import { NextResponse, type NextRequest } from 'next/server'

// Stage codes in hosted URLs are upper-case (/s/QA/sign-in). A stage's session cookie is scoped to
// that exact path, and cookie paths are case-sensitive, so /s/qa/... would never see it: send
// such links to the canonical address instead of serving the page there. Only GET and HEAD are
// redirected; nothing posts to a non-canonical address that our own pages rendered.
export function proxy(request: NextRequest) {
  if (request.method !== 'GET' && request.method !== 'HEAD') return NextResponse.next()
  const match = /^\/s\/([^/]+)(\/.*)?$/.exec(request.nextUrl.pathname)
  if (!match) return NextResponse.next()
  const code = match[1]
  const canonical = code.toUpperCase()
  if (code === canonical) return NextResponse.next()
  const url = request.nextUrl.clone()
  url.pathname = `/s/${canonical}${match[2] ?? ''}`
  return NextResponse.redirect(url, 308)
}

export const config = { matcher: '/s/:stage/:path*' }
