import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { proxy } from '../../../proxy'

// proxy.ts sends hosted links with a lower-case stage code to the canonical upper-case address,
// where the stage's cookie (scoped to /s/<CODE>) is sent.
describe('hosted stage addresses', () => {
  const run = (url: string, method = 'GET') => proxy(new NextRequest(new URL(url), { method }))

  it('redirects a lower- or mixed-case stage code, keeping the page and the query', () => {
    for (const [from, to] of [
      ['http://localhost:3000/s/qa/verify?email=a%40b.test', 'http://localhost:3000/s/QA/verify?email=a%40b.test'],
      ['http://localhost:3000/s/Prd', 'http://localhost:3000/s/PRD'],
      ['http://localhost:3000/s/dev/sign-in', 'http://localhost:3000/s/DEV/sign-in'],
    ]) {
      const response = run(from)
      expect(response.status).toBe(308)
      expect(response.headers.get('location')).toBe(to)
    }
  })

  it('lets canonical addresses and posts through', () => {
    expect(run('http://localhost:3000/s/QA/sign-in').headers.get('location')).toBeNull()
    expect(run('http://localhost:3000/s/qa/sign-in', 'POST').headers.get('location')).toBeNull()
    expect(run('http://localhost:3000/users').headers.get('location')).toBeNull()
  })
})
