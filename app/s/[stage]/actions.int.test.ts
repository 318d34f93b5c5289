import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { getDb } from '@/db/client'
import { auditEvents, mailOutbox, users, verificationCodes } from '@/db/schema'
import { resolveStageSession } from '@/lib/auth/stage-sessions'
import type { Ctx } from '@/lib/context'
import { configureSelfRegistration, registerEndUser, registrationMailFor, wrongCodeFor } from '@/lib/hosted/hosted-test-support'
import { inviteUser } from '@/lib/users/invite-user'
import { createApp, createAppRole, createGroup } from '@/test/access-factories'
import { invitationMailFor, PASSWORD, roleKeyOf, rowCounts } from '@/test/factories'
import { ADMIN, asUser, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { form, redirected, jar } from '@/test/next-stubs'

// The hosted pages' actions as the browser reaches them: the cookie jar is a map, redirects are
// thrown, Auth.js's portal sign-in is a spy.
vi.mock('next/headers', () => import('@/test/next-stubs').then((m) => m.headersWithCookies))
vi.mock('next/navigation', () => import('@/test/next-stubs').then((m) => m.navigation))
vi.mock('next-auth', () => import('@/test/next-stubs').then((m) => m.nextAuth))
const portalSignIn = vi.fn(async () => undefined)
vi.mock('@/lib/auth/next-auth', () => ({ signIn: (...args: unknown[]) => portalSignIn(...(args as [])) }))

const { signInToStageAction, signOutOfStageAction, signUpAction, verifyRegistrationAction } = await import('./actions')
const { acceptInvitationAction } = await import('../../(auth)/actions')

const counts = () => rowCounts({ users, verificationCodes, mailOutbox, auditEvents })

describe('hosted sign-up, verification, sign-in and sign-out actions', () => {
  useTestDatabase()
  let admin: () => Ctx
  let qa: string

  beforeAll(async () => {
    const org = await setupOrganization()
    admin = () => asUser(org.userKey, ADMIN.email)
    qa = await configureSelfRegistration('QA')
  })

  beforeEach(() => jar.clear())

  it('sends every sign-up to the verify page with the address, and refuses a closed stage', async () => {
    const email = uniqueEmail('action')
    for (const address of [email, email, ADMIN.email]) {
      expect(await redirected(signUpAction('QA', null, form({ name: 'Action Person', email: address.toUpperCase() })))).toBe(`/s/QA/verify?email=${encodeURIComponent(address)}&sent=1`)
    }
    const before = await counts()
    expect(await signUpAction('PRD', null, form({ name: 'Closed', email: uniqueEmail() }))).toMatchObject({ ok: false, error: expect.stringMatching(/not open/) })
    expect(await signUpAction('NOPE', null, form({ name: 'Gone', email: uniqueEmail() }))).toMatchObject({ ok: false })
    expect(await signUpAction('QA', null, form({ name: 'Sneaky', email: uniqueEmail(), status: 'Active' }))).toMatchObject({ ok: false, fieldErrors: { form: expect.any(Array) } })
    expect(await counts()).toEqual(before)
  })

  it('verifies, sets the stage cookie on the stage path and lands on the account page', async () => {
    const email = uniqueEmail('verify')
    await redirected(signUpAction('QA', null, form({ name: 'Verified Person', email })))
    const { code } = await registrationMailFor(email)
    expect(await verifyRegistrationAction('QA', null, form({ email, code: wrongCodeFor(code), password: PASSWORD }))).toMatchObject({ ok: false, fieldErrors: { code: [expect.stringMatching(/4 attempt/)] } })
    expect(jar.size).toBe(0)

    expect(await redirected(verifyRegistrationAction('QA', null, form({ email, code, password: PASSWORD })))).toBe('/s/QA/account')
    const cookie = jar.get('gatehouse-stage-qa')!
    expect(cookie).toMatchObject({ path: '/s/QA', httpOnly: true })
    expect(await resolveStageSession(await getDb(), cookie.value, qa, new Date())).toMatchObject({ email })
  })

  it('signs in with a cookie for the stage, and signs out ending the session', async () => {
    const email = uniqueEmail('signin')
    await registerEndUser(qa, email, PASSWORD)
    expect(await signInToStageAction('QA', null, form({}))).toMatchObject({ ok: false, fieldErrors: { email: expect.any(Array), password: expect.any(Array) } })
    expect(await signInToStageAction('QA', null, form({ email, password: 'Wrong-Password-1' }))).toMatchObject({ ok: false, error: expect.stringMatching(/incorrect/) })
    expect(jar.size).toBe(0)

    expect(await redirected(signInToStageAction('QA', null, form({ email, password: PASSWORD })))).toBe('/s/QA/account')
    const token = jar.get('gatehouse-stage-qa')!.value
    expect(await redirected(signOutOfStageAction('QA'))).toBe('/s/QA/sign-in')
    expect(jar.get('gatehouse-stage-qa')).toMatchObject({ value: '', maxAge: 0 })
    expect(await resolveStageSession(await getDb(), token, qa, new Date())).toBeNull()
  })

  describe('accepting an invitation', () => {
    async function invite(grants: { roleKey?: string; groupKeys?: string[]; instanceKeys?: string[] }) {
      const email = uniqueEmail('invitee')
      await inviteUser(admin(), { email, ...grants })
      const { token, code } = await invitationMailFor(email)
      return { email, token, code }
    }

    it('signs an end-user in to the first stage where they hold a role', async () => {
      const app = await createApp('Orders', ['QA', 'PRD'])
      const role = await createAppRole(app.key, 'Approver')
      const { token, code, email } = await invite({ instanceKeys: [role.instances.get('PRD')!, role.instances.get('QA')!] })
      expect(await redirected(acceptInvitationAction(null, form({ token, code, password: PASSWORD })))).toBe('/s/QA/account')
      const cookie = jar.get('gatehouse-stage-qa')!
      expect(cookie.path).toBe('/s/QA')
      expect(await resolveStageSession(await getDb(), cookie.value, qa, new Date())).toMatchObject({ email })
      expect(portalSignIn).not.toHaveBeenCalled()
    })

    it('shows the ready page to an end-user with no role yet', async () => {
      // A group that grants no role yet gives no stage to sign in to.
      const { token, code } = await invite({ groupKeys: [await createGroup('Empty for now', 'DEV')] })
      expect(await redirected(acceptInvitationAction(null, form({ token, code, password: PASSWORD })))).toBe('/invite/ready')
      expect(jar.size).toBe(0)
    })

    it('keeps signing members in to the portal', async () => {
      const { token, code, email } = await invite({ roleKey: await roleKeyOf('Developer') })
      expect(await redirected(acceptInvitationAction(null, form({ token, code, password: PASSWORD })))).toBe('/')
      expect(portalSignIn).toHaveBeenCalledWith('credentials', expect.objectContaining({ email, password: PASSWORD }))
      expect(jar.size).toBe(0)
    })
  })
})
