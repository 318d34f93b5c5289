import { expect, test } from '@playwright/test'
import { admin, readInvitation, signIn, signInAsAdmin } from './helpers'

// One journey across the foundation (issue #2): sign-in, invitation by email, acceptance in another
// browser, the member's own access page, and deactivation taking effect at once. First-run setup
// happened in setup.spec.ts. Steps share one database, so they run in order.
test.describe.configure({ mode: 'serial' })
// Two browsers on a 2-core machine: the journey alone takes close to the default 60 s.
test.setTimeout(180_000)

const member = { email: 'dev@acme.test', name: 'Devon Member', password: 'Another-Secret-77' }

test('an administrator invites a member who accepts, and deactivating the member signs them out', async ({ page, browser }) => {
  await test.step('setup is gone, and the administrator signs out and back in', async () => {
    await signInAsAdmin(page)
    await page.goto('/setup')
    await expect(page).not.toHaveURL(/\/setup$/)
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect(page).toHaveURL(/\/sign-in$/)
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password').fill('Wrong-Password-1')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('alert').filter({ hasText: 'incorrect' })).toBeVisible()
    await signInAsAdmin(page)
  })

  await test.step('the administrator invites a member; a second invitation of the same email is refused', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click()
    await page.getByRole('link', { name: 'Invite', exact: true }).click()
    await page.getByLabel('Email').fill(member.email)
    await page.getByLabel('Organization role').selectOption({ label: 'Developer (built-in)' })
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await expect(page.getByText('Invitation sent.')).toBeVisible()
    await page.goto('/users/invite')
    await page.getByLabel('Email').fill(member.email)
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await expect(page.getByText(/Already invited/)).toBeVisible()
  })

  const mail = await test.step('the invitation email is in the development mailbox', () => readInvitation(page, member.email))

  const memberContext = await browser.newContext()
  const memberPage = await memberContext.newPage()

  await test.step('the member accepts in another browser: a wrong code is refused, then the right one activates them', async () => {
    await memberPage.goto(mail.link)
    await expect(memberPage.getByRole('heading', { name: `Join ${admin.org}` })).toBeVisible()
    await memberPage.getByLabel('Invitation code').fill(mail.code === '000000' ? '111111' : '000000')
    await memberPage.getByLabel('Your name').fill(member.name)
    await memberPage.getByLabel('Password', { exact: true }).fill(member.password)
    await memberPage.getByRole('button', { name: 'Accept and sign in' }).click()
    await expect(memberPage.getByText(/That code is not right/)).toBeVisible()
    await memberPage.getByLabel('Invitation code').fill(mail.code)
    await memberPage.getByLabel('Password', { exact: true }).fill(member.password)
    await memberPage.getByRole('button', { name: 'Accept and sign in' }).click()
    await expect(memberPage.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
  })

  await test.step('the member signs in and sees their role and stage-limited permissions on My access', async () => {
    await memberPage.getByRole('button', { name: 'Sign out' }).click()
    await expect(memberPage).toHaveURL(/\/sign-in$/)
    await signIn(memberPage, member.email, member.password)
    await expect(memberPage.getByRole('link', { name: 'Audit trail' })).toHaveCount(0)
    await memberPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My access' }).click()
    await expect(memberPage.getByText('Developer', { exact: true })).toBeVisible()
    const endUsers = memberPage.getByRole('region', { name: 'End-user management' })
    await expect(endUsers.getByRole('listitem').filter({ hasText: 'Manage end-user access' })).toContainText('DEV')
    const response = await memberPage.goto('/audit')
    expect(response?.status()).toBe(403)
    await expect(memberPage.getByRole('heading', { name: 'You do not have access to this page' })).toBeVisible()
  })

  await test.step('the administrator deactivates the member after confirming', async () => {
    await page.goto('/users?q=dev%40acme')
    await page.getByRole('link', { name: member.name }).click()
    await page.getByRole('button', { name: 'Deactivate' }).click()
    const dialog = page.getByRole('dialog', { name: `Deactivate ${member.name}?` })
    await expect(dialog).toBeVisible()
    await dialog.getByRole('button', { name: 'Deactivate' }).click()
    await expect(page.getByText(/The user is inactive/)).toBeVisible()
    await expect(page.getByText('Inactive', { exact: true }).first()).toBeVisible()
  })

  await test.step("the member's next navigation lands on sign-in, and they cannot sign in again", async () => {
    await memberPage.goto('/me')
    await expect(memberPage).toHaveURL(/\/sign-in$/)
    await memberPage.getByLabel('Email').fill(member.email)
    await memberPage.getByLabel('Password').fill(member.password)
    await memberPage.getByRole('button', { name: 'Sign in' }).click()
    await expect(memberPage.getByRole('alert').filter({ hasText: 'incorrect' })).toBeVisible()
  })

  await memberContext.close()
})
