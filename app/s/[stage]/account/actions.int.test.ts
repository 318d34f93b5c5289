import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { auditEvents, sessions, userCredentials, users } from '@/db/schema'
import { CURRENT_PASSWORD_REFUSED } from '@/lib/auth/change-password'
import { sessionHandle } from '@/lib/hosted/account-sessions'
import { insertUserWithPassword, openStageSessionFor, sessionRow, type TestUser } from '@/lib/hosted/account-test-support'
import { rowCounts, userRow } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { form, redirected, jar } from '@/test/next-stubs'

// The account page's actions as the browser reaches them: the stage cookie comes from a jar,
// redirects are thrown, cache revalidation is a no-op.
vi.mock('next/headers', () => import('@/test/next-stubs').then((m) => m.headersWithCookies))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))
vi.mock('next/cache', () => import('@/test/next-stubs').then((m) => m.cache))

const actions = await import('./actions')
const NEW_PASSWORD = 'Fresh-Meadow-Lamp-77'
const counts = () => rowCounts({ users, sessions, userCredentials, auditEvents })

describe('stage account actions', () => {
  useTestDatabase()
  let user: TestUser
  let current: Awaited<ReturnType<typeof openStageSessionFor>>

  beforeAll(async () => {
    await setupOrganization()
  })

  beforeEach(async () => {
    jar.clear()
    user = await insertUserWithPassword({ name: 'Acting User' })
    current = await openStageSessionFor(user, 'DEV')
    jar.set('gatehouse-stage-dev', { value: current.token })
  })

  it('saves the profile, and answers bad input next to the field without changing anything', async () => {
    expect(await actions.updateProfileAction('DEV', null, form({ name: ' Renamed ', photoUrl: '' }))).toEqual({ ok: true, message: 'Your profile was saved.' })
    expect((await userRow(user.userKey)).name).toBe('Renamed')
    const before = await counts()
    for (const values of [{ name: '', photoUrl: '' }, { name: 'Ok', photoUrl: 'javascript:alert(1)' }, { name: new Blob(['x']), photoUrl: '' }]) {
      expect(await actions.updateProfileAction('DEV', null, form(values))).toMatchObject({ ok: false, fieldErrors: expect.any(Object) })
    }
    // Fields other than the form's are dropped before the use case sees them.
    expect(await actions.updateProfileAction('DEV', null, form({ name: 'Renamed', photoUrl: '', email: 'else@example.test' }))).toMatchObject({ ok: true })
    expect(await counts()).toEqual(before)
    expect((await userRow(user.userKey)).email).toBe(user.email)
  })

  it('sends a signed-out visitor to the stage’s sign-in page, and refuses an unknown stage', async () => {
    jar.clear()
    expect(await redirected(actions.updateProfileAction('DEV', null, form({ name: 'X', photoUrl: '' })))).toBe('/s/DEV/sign-in')
    // The cookie of one stage is not a session on another.
    jar.set('gatehouse-stage-qa', { value: current.token })
    expect(await redirected(actions.revokeOtherSessionsAction('QA'))).toBe('/s/QA/sign-in')
    expect(await actions.changePasswordAction('NOPE', null, form({}))).toMatchObject({ ok: false, error: expect.stringMatching(/no longer exists/) })
  })

  it('changes the password and keeps this session; a wrong current password is answered next to its field', async () => {
    expect(await actions.changePasswordAction('DEV', null, form({ currentPassword: 'Wrong-Password-99', newPassword: NEW_PASSWORD }))).toMatchObject({
      ok: false,
      fieldErrors: { currentPassword: [CURRENT_PASSWORD_REFUSED] },
    })
    expect(await actions.changePasswordAction('DEV', null, form({ currentPassword: user.password, newPassword: NEW_PASSWORD }))).toMatchObject({ ok: true, message: expect.stringMatching(/changed/) })
    expect((await sessionRow(current.idHash)).revokedAt).toBeNull()
  })

  it('signs out another session and comes back with a notice, and the current one by clearing the cookie and going to sign-in', async () => {
    const other = await openStageSessionFor(user, 'DEV')
    expect(await redirected(actions.revokeSessionAction('DEV', null, form({ sessionId: sessionHandle(other.idHash) })))).toBe('/s/DEV/account?notice=session-ended#sessions')
    expect((await sessionRow(other.idHash)).revokedAt).toBeInstanceOf(Date)
    expect(await actions.revokeSessionAction('DEV', null, form({ sessionId: sessionHandle(other.idHash) }))).toMatchObject({ ok: false })
    expect(await actions.revokeSessionAction('DEV', null, form({ sessionId: other.idHash }))).toMatchObject({ ok: false, fieldErrors: { sessionId: expect.any(Array) } })
    expect(await redirected(actions.revokeSessionAction('DEV', null, form({ sessionId: sessionHandle(current.idHash) })))).toBe('/s/DEV/sign-in')
    expect(jar.get('gatehouse-stage-dev')).toMatchObject({ value: '', maxAge: 0 })
    expect((await sessionRow(current.idHash)).revokedAt).toBeInstanceOf(Date)
  })

  it('signs out every other session in this stage', async () => {
    const others = [await openStageSessionFor(user, 'DEV'), await openStageSessionFor(user, 'DEV')]
    expect(await redirected(actions.revokeOtherSessionsAction('DEV'))).toBe('/s/DEV/account?notice=others-ended#sessions')
    for (const other of others) expect((await sessionRow(other.idHash)).revokedAt).toBeInstanceOf(Date)
    expect((await sessionRow(current.idHash)).revokedAt).toBeNull()
  })
})
