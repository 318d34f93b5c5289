import { expect, test, type Page } from '@playwright/test'
import { readMail, signInAsAdmin } from './helpers'

// End-users on a stage's hosted pages (issue: self-registration, password recovery, per-stage
// sessions): an administrator opens sign-up on QA with a group that new end-users join; a new
// person signs up, reads the code in the mailbox, lands on their account page with the group's
// role, signs out, forgets the password, resets it and signs in; then the administrator sets a
// 5-minute idle time and the person's session ends when idle — the server's clock is moved forward
// (GATEHOUSE_TEST_CLOCK), never slept through.

test.describe.configure({ mode: 'serial' })
test.setTimeout(180_000)

const app = { name: 'Parcel Tracker', role: 'Courier' }
const group = 'QA parcel testers'
const person = { name: 'Sam Signup', email: 'sam.signup@field.test', password: 'Sunrise-Ladder-2026', newPassword: 'Harbour-Lantern-7781' }

async function advanceClock(page: Page, minutes: number) {
  const response = await page.request.post('/api/test/clock', { data: { advanceSeconds: minutes * 60 } })
  expect(response.ok()).toBe(true)
}

async function openStageSettings(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
  await expect(page).toHaveURL(/\/settings/)
  await page.goto('/settings/stages?stage=QA')
  await expect(page.getByRole('navigation', { name: 'Stages' }).getByRole('link', { name: 'QA (QA)' })).toHaveAttribute('aria-current', 'page')
}

test('a new person signs up on QA, gets the group’s role, recovers the password, and an idle session ends', async ({ page, browser }) => {
  await test.step('the administrator creates an app with a role and a QA group granting it', async () => {
    await signInAsAdmin(page)
    await page.goto('/apps/new')
    await page.getByLabel('Name', { exact: true }).fill(app.name)
    await page.getByRole('button', { name: 'Create app' }).click()
    await expect(page.getByText('The app was created.')).toBeVisible()
    await page.getByLabel('Name', { exact: true }).fill(app.role)
    await page.getByRole('button', { name: 'Create role' }).click()
    await expect(page.getByText('The role was created in every stage')).toBeVisible()

    await page.goto('/groups/new')
    await page.getByLabel('Name', { exact: true }).fill(group)
    await page.getByLabel('Stage').selectOption({ label: 'QA (QA)' })
    await page.getByRole('button', { name: 'Create group' }).click()
    await expect(page.getByText('Group created.')).toBeVisible()
    await page.getByRole('group', { name: app.name }).getByRole('checkbox', { name: new RegExp(`^${app.role}`) }).check()
    await page.getByRole('button', { name: 'Save roles' }).click()
    await expect(page.getByText('The roles were saved.')).toBeVisible()
  })

  await test.step('the administrator turns on self-registration for QA, with the group to join', async () => {
    await openStageSettings(page)
    await page.getByLabel('Let people sign up on QA’s hosted pages').check()
    await page.getByRole('group', { name: 'Groups new end-users join' }).getByRole('checkbox', { name: group }).check()
    await page.getByRole('button', { name: 'Save self-registration' }).click()
    await expect(page.getByText('The self-registration settings were saved.')).toBeVisible()
    await expect(page.getByLabel('Let people sign up on QA’s hosted pages')).toBeChecked()
  })

  const visitorContext = await browser.newContext()
  const visitor = await visitorContext.newPage()

  await test.step('a new person signs up on /s/qa/sign-up and is asked for the emailed code', async () => {
    await visitor.goto('/s/qa/sign-up')
    await expect(visitor).toHaveURL(/\/s\/QA\/sign-up$/)
    await expect(visitor.getByRole('banner').getByText('Acme Corporation', { exact: true })).toBeVisible()
    await visitor.getByLabel('Your name').fill(person.name)
    await visitor.getByLabel('Email', { exact: true }).fill(person.email)
    await visitor.getByRole('button', { name: 'Send me a code' }).click()
    await expect(visitor).toHaveURL(/\/s\/QA\/verify\?/)
    await expect(visitor.getByText('can register here, we sent a code to it')).toBeVisible()
  })

  await test.step('the code from the mailbox and a password finish the sign-up; the account page shows the group’s role', async () => {
    const mail = await readMail(page, person.email, /finish signing up/)
    const code = mail.match(/signing up[^:]*: (\d{6})/)?.[1]
    const link = mail.match(/https?:\/\/\S+\/s\/QA\/verify\?\S+/)?.[0]
    expect(code).toMatch(/^\d{6}$/)
    await visitor.goto(new URL(link!).pathname + new URL(link!).search)
    await expect(visitor.getByLabel('Email', { exact: true })).toHaveValue(person.email)
    await visitor.getByLabel('Code from the email').fill(code!)
    await visitor.getByLabel('Choose a password').fill(person.password)
    await visitor.getByRole('button', { name: 'Finish and sign in' }).click()
    await expect(visitor).toHaveURL(/\/s\/QA\/account$/)
    await expect(visitor.getByRole('heading', { level: 1, name: person.name })).toBeVisible()
    const roles = visitor.locator('section').filter({ has: visitor.getByRole('heading', { name: 'My apps and roles' }) })
    await expect(roles.getByRole('heading', { name: app.name })).toBeVisible()
    await expect(roles.getByRole('listitem').filter({ hasText: app.role }).last()).toHaveText(`${app.role} · through group “${group}”`)
  })

  await test.step('the person signs out, forgets the password and resets it with an emailed code', async () => {
    await visitor.getByRole('button', { name: 'Sign out' }).last().click()
    await expect(visitor).toHaveURL(/\/s\/QA\/sign-in$/)
    await visitor.getByRole('link', { name: 'Forgot your password?' }).click()
    await expect(visitor).toHaveURL(/\/s\/QA\/forgot-password$/)
    await visitor.getByLabel('Email', { exact: true }).fill(person.email)
    await visitor.getByRole('button', { name: 'Send a reset code' }).click()
    await expect(visitor.getByText('we have emailed it a 6-digit code')).toBeVisible()

    const mail = await readMail(page, person.email, /reset code/)
    const code = mail.match(/reset code: (\d{6})/)?.[1]
    expect(code).toMatch(/^\d{6}$/)
    await visitor.getByLabel('Code from the email').fill(code!)
    await visitor.getByLabel('New password').fill(person.newPassword)
    await visitor.getByRole('button', { name: 'Set the new password' }).click()
    await expect(visitor.getByText('Your password was changed')).toBeVisible()
  })

  await test.step('the old password no longer works; the new one signs the person in', async () => {
    await visitor.getByRole('link', { name: 'Sign in' }).click()
    await expect(visitor).toHaveURL(/\/s\/QA\/sign-in$/)
    await visitor.getByLabel('Email', { exact: true }).fill(person.email)
    await visitor.getByLabel('Password').fill(person.password)
    await visitor.getByRole('button', { name: 'Sign in' }).click()
    await expect(visitor.getByText('The email or password is incorrect')).toBeVisible()
    await visitor.getByLabel('Password').fill(person.newPassword)
    await visitor.getByRole('button', { name: 'Sign in' }).click()
    await expect(visitor).toHaveURL(/\/s\/QA\/account$/)
    await expect(visitor.getByRole('heading', { level: 1, name: person.name })).toBeVisible()
  })

  await test.step('the administrator sets QA’s idle time to 5 minutes, which ends QA’s sessions', async () => {
    await openStageSettings(page)
    await page.getByLabel('Idle time: number').fill('5')
    await page.getByLabel('Idle time: unit').selectOption('minutes')
    await page.getByRole('button', { name: 'Save session settings' }).click()
    await page.getByRole('button', { name: 'Save and end the sessions' }).click()
    await expect(page.getByText('The session settings were saved')).toBeVisible()
    await expect(page.getByText('Now: 5 minutes.')).toBeVisible() // the unit survived the confirmation

    await visitor.reload()
    await expect(visitor).toHaveURL(/\/s\/QA\/sign-in$/)
  })

  await test.step('activity keeps a stage session alive; five idle minutes end it', async () => {
    await visitor.getByLabel('Email', { exact: true }).fill(person.email)
    await visitor.getByLabel('Password').fill(person.newPassword)
    await visitor.getByRole('button', { name: 'Sign in' }).click()
    await expect(visitor).toHaveURL(/\/s\/QA\/account$/)

    // Active every 4 minutes: still signed in 8 minutes after signing in.
    await advanceClock(visitor, 4)
    await visitor.reload()
    await expect(visitor.getByRole('heading', { level: 1, name: person.name })).toBeVisible()
    await advanceClock(visitor, 4)
    await visitor.reload()
    await expect(visitor.getByRole('heading', { level: 1, name: person.name })).toBeVisible()

    // Then 6 minutes without a request: the session is over.
    await advanceClock(visitor, 6)
    await visitor.reload()
    await expect(visitor).toHaveURL(/\/s\/QA\/sign-in$/)
  })

  await visitorContext.close()
})
