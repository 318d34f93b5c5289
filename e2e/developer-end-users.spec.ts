import { expect, test } from '@playwright/test'
import { acceptInvitation, readInvitation, signInAsAdmin } from './helpers'

// The built-in Developer role holds "Manage end-user access" limited to DEV: a Developer can give
// end-users roles in DEV and nowhere else, and does not even see end-user roles of other stages.
test.describe.configure({ mode: 'serial' })
test.setTimeout(180_000)

const app = { name: 'Field Service', role: 'Technician' }
const developer = { email: 'dora@acme.test', name: 'Dora Developer', password: 'Devoted-Coder-2026' }
const endUser = { email: 'tess@acme.test', name: 'Tess Tester' }

test('a Developer grants end-user roles in DEV only', async ({ page, browser }) => {
  await test.step('the administrator creates an app with an end-user role and invites a Developer', async () => {
    await signInAsAdmin(page)
    await page.goto('/apps/new')
    await page.getByLabel('Name', { exact: true }).fill(app.name)
    await page.getByRole('button', { name: 'Create app' }).click()
    await expect(page.getByRole('heading', { level: 1, name: app.name })).toBeVisible()
    await page.getByLabel('Name', { exact: true }).fill(app.role)
    await page.getByRole('button', { name: 'Create role' }).click()
    await expect(page.getByText('The role was created in every stage')).toBeVisible()

    await page.goto('/users/invite')
    await page.getByLabel('Email').fill(developer.email)
    await page.getByLabel('Organization role').selectOption({ label: 'Developer (built-in)' })
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await expect(page.getByText('Invitation sent.')).toBeVisible()
  })

  const invitation = await test.step('the invitation is in the mailbox', () => readInvitation(page, developer.email))
  const devContext = await browser.newContext()
  const devPage = await devContext.newPage()

  await test.step('the Developer may offer only the DEV role when inviting an end-user', async () => {
    await acceptInvitation(devPage, invitation, developer)
    await devPage.goto('/users/invite')
    await expect(devPage.getByLabel('Organization role')).toHaveCount(0)
    const roles = devPage.getByRole('group', { name: 'End-user roles' })
    await expect(roles.getByRole('checkbox', { name: `${app.name} · ${app.role} (DEV)` })).toBeVisible()
    await expect(roles.getByRole('checkbox', { name: `${app.name} · ${app.role} (QA)` })).toHaveCount(0)
    await expect(roles.getByRole('checkbox', { name: `${app.name} · ${app.role} (PRD)` })).toHaveCount(0)
    await devPage.getByLabel('Email').fill(endUser.email)
    await devPage.getByLabel('Name (optional)').fill(endUser.name)
    await roles.getByRole('checkbox', { name: `${app.name} · ${app.role} (DEV)` }).check()
    await devPage.getByRole('button', { name: 'Send invitation' }).click()
    await expect(devPage.getByText('Invitation sent.')).toBeVisible()
  })

  await test.step('on the end-user’s page the Developer can change DEV and cannot see QA or PRD', async () => {
    await devPage.getByRole('navigation', { name: 'User sections' }).getByRole('link', { name: 'End-user access' }).click()
    const inDev = devPage.getByRole('checkbox', { name: `${app.role} in DEV for ${app.name}` })
    await expect(inDev).toBeChecked()
    await expect(inDev).toBeEnabled()
    for (const code of ['QA', 'PRD']) {
      await expect(devPage.getByRole('checkbox', { name: `${app.role} in ${code} for ${app.name}` })).toHaveCount(0)
      await expect(devPage.getByLabel(`${app.role} in ${code}: not visible to you`)).toBeVisible()
    }
  })
  await devContext.close()

  await test.step('the administrator sees the DEV role the Developer granted, and every stage', async () => {
    await page.goto(`/users?q=${encodeURIComponent(endUser.email)}`)
    await page.getByRole('link', { name: endUser.name }).click()
    await page.getByRole('navigation', { name: 'User sections' }).getByRole('link', { name: 'End-user access' }).click()
    await expect(page.getByRole('checkbox', { name: `${app.role} in DEV for ${app.name}` })).toBeChecked()
    await expect(page.getByRole('checkbox', { name: `${app.role} in PRD for ${app.name}` })).not.toBeChecked()
    await expect(page.getByRole('checkbox', { name: `${app.role} in PRD for ${app.name}` })).toBeEnabled()
  })
})
