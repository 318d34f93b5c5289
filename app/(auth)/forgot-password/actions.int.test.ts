import { beforeAll, describe, expect, it, vi } from 'vitest'
import { auditEvents, mailOutbox, userCredentials, verificationCodes } from '@/db/schema'
import { RESET_REFUSED } from '@/lib/auth/password-reset'
import { signInWithPassword } from '@/lib/auth/sign-in'
import { insertUserWithPassword, resetMailFor } from '@/lib/hosted/account-test-support'
import { rowCounts } from '@/test/factories'
import { anonymous, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { form } from '@/test/next-stubs'

// The forgot-password forms are public POST endpoints on the portal and on every stage: any input
// comes back as a form result, and the first step answers the same whoever asks.
vi.mock('next/headers', () => import('@/test/next-stubs').then((m) => m.headers))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))

const portal = await import('./actions')
const stage = await import('../../s/[stage]/forgot-password/actions')

const NEW_PASSWORD = 'Fresh-Meadow-Lamp-77'
const traces = () => rowCounts({ mailOutbox, verificationCodes, userCredentials, auditEvents })

describe('forgot-password actions', () => {
  useTestDatabase()

  beforeAll(async () => {
    await setupOrganization()
  })

  it('resets on the portal in two steps, recording the client address', async () => {
    const user = await insertUserWithPassword()
    expect(await portal.startPortalResetAction(null, form({ email: user.email }))).toEqual({ ok: true, data: { email: user.email } })
    const { code } = await resetMailFor(user.email)
    expect(await portal.finishPortalResetAction(null, form({ email: user.email, code, password: NEW_PASSWORD }))).toMatchObject({ ok: true, message: 'Your password was changed.' })
    await signInWithPassword(anonymous(), { email: user.email, password: NEW_PASSWORD })
  })

  it('resets on a stage through the stage’s actions, and refuses an unknown stage', async () => {
    const user = await insertUserWithPassword()
    expect(await stage.startStageResetAction('qa', null, form({ email: user.email }))).toEqual({ ok: true, data: { email: user.email } })
    const { code, link } = await resetMailFor(user.email)
    expect(link).toContain('/s/QA/forgot-password?email=')
    // The portal does not take a stage's code.
    expect(await portal.finishPortalResetAction(null, form({ email: user.email, code, password: NEW_PASSWORD }))).toMatchObject({ ok: false, fieldErrors: { code: [RESET_REFUSED] } })
    expect(await stage.finishStageResetAction('QA', null, form({ email: user.email, code, password: NEW_PASSWORD }))).toMatchObject({ ok: true })
    expect(await stage.startStageResetAction('NOPE', null, form({ email: user.email }))).toMatchObject({ ok: false, error: expect.stringMatching(/no longer exists/) })
  })

  it('answers the first step the same for an unknown email, and bad input next to its field, changing nothing', async () => {
    const before = await traces()
    const unknown = uniqueEmail('nobody')
    expect(await portal.startPortalResetAction(null, form({ email: unknown }))).toEqual({ ok: true, data: { email: unknown } })
    expect(await stage.startStageResetAction('DEV', null, form({ email: unknown }))).toEqual({ ok: true, data: { email: unknown } })
    const bad: Array<[Promise<unknown>, string]> = [
      [portal.startPortalResetAction(null, form({})), 'email'],
      [portal.startPortalResetAction(null, form({ email: new Blob(['x']) })), 'email'],
      [portal.finishPortalResetAction(null, form({ email: unknown, code: 'abc', password: NEW_PASSWORD })), 'code'],
      [portal.finishPortalResetAction(null, form({ email: unknown, code: '123456', password: 'x'.repeat(5000) })), 'password'],
      [stage.finishStageResetAction('DEV', null, form({ email: unknown, code: '123456', password: NEW_PASSWORD })), 'code'],
    ]
    for (const [result, field] of bad) expect(await result).toMatchObject({ ok: false, fieldErrors: { [field]: expect.any(Array) } })
    expect(await traces()).toEqual(before)
  })
})
