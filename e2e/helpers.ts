import { expect, type Page } from '@playwright/test'

// Shared by the spec files: the administrator created by first-run setup (setup.spec.ts), signing
// in, and reading an invitation from the development mailbox.

export const admin = { org: 'Acme Corporation', name: 'Ada Admin', email: 'ada@acme.test', password: 'Correct-Horse-42' }

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
}

export const signInAsAdmin = (page: Page) => signIn(page, admin.email, admin.password)

/** The text of the newest message to `email` whose text matches `pattern`, read from /dev/mailbox (as an administrator). */
export async function readMail(page: Page, email: string, pattern: RegExp): Promise<string> {
  await page.goto('/dev/mailbox')
  const message = page
    .getByRole('article', { name: new RegExp(`Message to ${email.replace(/[.+]/g, '\\$&')}`) })
    .filter({ hasText: pattern })
    .first()
  const text = (await message.locator('pre').textContent()) ?? ''
  expect(text).toMatch(pattern)
  return text
}

/** The code and link of the newest invitation mailed to `email`, read from /dev/mailbox. */
export async function readInvitation(page: Page, email: string): Promise<{ code: string; link: string }> {
  await page.goto('/dev/mailbox')
  const message = page.getByRole('article', { name: new RegExp(`Message to ${email.replace(/[.+]/g, '\\$&')}`) }).first()
  const text = (await message.locator('pre').textContent()) ?? ''
  const code = text.match(/code: (\d{6})/)?.[1]
  const link = text.match(/(\/invite\/[\w-]+)/)?.[1]
  expect(code).toMatch(/^\d{6}$/)
  expect(link).toBeTruthy()
  return { code: code!, link: link! }
}

/** Accepts an invitation (in the invitee's own browser) and lands on the dashboard, signed in. */
export async function acceptInvitation(page: Page, invitation: { code: string; link: string }, person: { name: string; password: string }) {
  await page.goto(invitation.link)
  await expect(page.getByRole('heading', { name: `Join ${admin.org}` })).toBeVisible()
  await page.getByLabel('Invitation code').fill(invitation.code)
  await page.getByLabel('Your name').fill(person.name)
  await page.getByLabel('Password', { exact: true }).fill(person.password)
  await page.getByRole('button', { name: 'Accept and sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
}
