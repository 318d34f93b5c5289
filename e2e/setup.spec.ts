import { expect, test } from '@playwright/test'
import { admin } from './helpers'

// First-run setup, once per run (the 'setup' project): every other spec signs in as this
// administrator (helpers.ts) instead of depending on which spec file happens to run first.
test('the first visit opens setup, which validates the password live and creates the administrator', async ({ page }) => {
  await page.goto('/')
  await expect(page).toHaveURL(/\/setup$/)
  await expect(page.getByRole('heading', { name: 'Set up Gatehouse' })).toBeVisible()
  await page.getByLabel('Organization name').fill(admin.org)
  await page.getByLabel('Your name').fill(admin.name)
  await page.getByLabel('Your email').fill(admin.email)
  await page.getByLabel('Password', { exact: true }).fill('short')
  await expect(page.getByRole('list', { name: 'Password requirements' }).getByText('At least 12 characters')).toContainText('not met')
  await page.getByRole('button', { name: 'Create organization' }).click()
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible()
  await page.getByLabel('Password', { exact: true }).fill(admin.password)
  await page.getByRole('button', { name: 'Create organization' }).click()
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
})
