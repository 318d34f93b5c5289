import { describe, expect, it, vi } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, invitations, organizations, users } from '@/db/schema'
import { ADMIN, uniqueEmail, useTestDatabase } from '@/test/harness'
import { inviteMember } from '@/lib/users/invite-member'
import { invitationMailFor, roleKeyOf, rowCounts } from '@/test/factories'
import { form } from '@/test/next-stubs'

// The sign-in, setup and invitation forms are reachable by anyone: bad input must come back as a
// form result and change nothing. Auth.js's signIn (cookie handling) is replaced by a spy.
const signIn = vi.fn(async () => undefined)
vi.mock('next/headers', () => import('@/test/next-stubs').then((m) => m.headers))
vi.mock('next-auth', () => import('@/test/next-stubs').then((m) => m.nextAuth))
vi.mock('@/lib/auth/next-auth', () => ({ signIn: (...args: unknown[]) => signIn(...(args as [])) }))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))

const { setupAction, signInAction, acceptInvitationAction } = await import('./actions')

const counts = () => rowCounts({ organizations, users, audit: auditEvents, invitations })

describe('public form actions with bad input', () => {
  useTestDatabase()

  it('setup refuses missing, malformed, oversized and unknown fields', async () => {
    const cases: Array<[Record<string, string | Blob>, string]> = [
      [{}, 'organizationName'],
      [{ ...ADMIN, email: 'nope' }, 'email'],
      [{ ...ADMIN, organizationName: 'x'.repeat(500) }, 'organizationName'],
      [{ ...ADMIN, password: 'x'.repeat(2000) }, 'password'],
      [{ ...ADMIN, name: new Blob(['x']) }, 'name'],
      [{ ...ADMIN, isAdmin: 'yes' }, 'form'],
    ]
    for (const [values, field] of cases) {
      const before = await counts()
      expect(await setupAction(null, form(values))).toMatchObject({ ok: false, fieldErrors: { [field]: expect.any(Array) } })
      expect(await counts()).toEqual(before)
    }
    expect(signIn).not.toHaveBeenCalled()
  })

  it('setup succeeds once, signs the administrator in and records the client address', async () => {
    await expect(setupAction(null, form(ADMIN))).rejects.toMatchObject({ url: '/' })
    expect(signIn).toHaveBeenCalledWith('credentials', expect.objectContaining({ email: ADMIN.email, password: ADMIN.password }))
    const db = await getDb()
    const [event] = await db.select().from(auditEvents)
    expect(event).toMatchObject({ action: 'organization.setup', ip: '203.0.113.9', userAgent: 'vitest' })
    const before = await counts()
    expect(await setupAction(null, form({ ...ADMIN, email: 'second@acme.test' }))).toMatchObject({ ok: false, error: expect.stringMatching(/already set up/) })
    expect(await counts()).toEqual(before)
  })

  it('sign-in asks for missing fields without calling Auth.js', async () => {
    signIn.mockClear()
    expect(await signInAction(null, form({}))).toMatchObject({ ok: false, fieldErrors: { email: expect.any(Array), password: expect.any(Array) } })
    expect(await signInAction(null, form({ email: new Blob(['x']), password: 'x' }))).toMatchObject({ ok: false })
    expect(signIn).not.toHaveBeenCalled()
  })

  it('accepting an invitation refuses a bad token, a malformed code and unknown fields, and changes nothing', async () => {
    // The organization was set up by the previous test.
    const db = await getDb()
    const [adminRow] = await db.select({ key: users.key, email: users.email }).from(users)
    const adminCtx = { actor: { type: 'user' as const, userKey: adminRow.key, label: adminRow.email! } }
    const email = uniqueEmail('invitee')
    await inviteMember(adminCtx, { email, roleKey: await roleKeyOf('Developer') })
    const { token, code } = await invitationMailFor(email)
    const cases: Array<Record<string, string | Blob>> = [
      {},
      { token: 'short', code, password: 'Sturdy-Lantern-2024' },
      { token, code: 'abc', password: 'Sturdy-Lantern-2024' },
      { token, code, password: 'Sturdy-Lantern-2024', status: 'Active' },
      { token: 'y'.repeat(60), code, password: 'Sturdy-Lantern-2024' },
    ]
    for (const values of cases) {
      const before = await counts()
      const result = await acceptInvitationAction(null, form(values))
      expect(result).toMatchObject({ ok: false, error: expect.any(String) })
      expect(await counts()).toEqual(before)
    }
    const [row] = await db.select({ failedAttempts: invitations.failedAttempts }).from(invitations)
    expect(row.failedAttempts).toBe(0)
  })
})
