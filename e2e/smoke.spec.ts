import { expect, test } from '@playwright/test'

// Proves the end-to-end machinery: a production build, served on a fresh embedded database,
// driven by the system Chromium. On a database with no organization every visit goes to setup.
test('a first visit to a fresh portal lands on setup', async ({ page }) => {
  await page.goto('/')
  await expect(page).toHaveURL(/\/setup$/)
})
