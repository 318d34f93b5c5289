import { expect, test, type Page } from '@playwright/test'
import { acceptInvitation, readInvitation, signIn, signInAsAdmin } from './helpers'

// The access model end to end (issue #3): an app with an end-user role, a custom organization role
// limited to QA given to a member for that one app and explained on their My access page, then a
// group in PRD granting the app's role to an end-user, shown as coming from the group, and deleting
// the group after its impact preview taking the role away. Steps share one database, so they run
// in order; the administrator comes from first-run setup (setup.spec.ts).
test.describe.configure({ mode: 'serial' })
// A long journey (three browsers' worth of pages) on a 2-core machine: more than the default 60 s.
test.setTimeout(180_000)

const app = { name: 'Orders Portal', role: 'Order Approver' }
const qaRole = 'QA deployer'
const member = { email: 'quinn@acme.test', name: 'Quinn Tester', password: 'Quality-Gate-2026' }
const endUser = { email: 'eve@acme.test', name: 'Eve Enduser' }
const group = 'PRD approvers'

async function openUser(page: Page, email: string, name: string) {
  await page.goto(`/users?q=${encodeURIComponent(email)}`)
  await page.getByRole('link', { name }).click()
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
}

test('a QA-limited custom role on one app is explained to its member, and a PRD group grants and loses an end-user role', async ({ page, browser }) => {
  await test.step('the administrator creates an app deployed to every stage, with an end-user role', async () => {
    await signInAsAdmin(page)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Apps' }).click()
    await page.getByRole('link', { name: 'Create app' }).click()
    await page.getByLabel('Name', { exact: true }).fill(app.name)
    await page.getByLabel('Description (optional)').fill('Where customers place orders')
    const stages = page.getByRole('group', { name: 'Deployed to' })
    for (const stage of ['Development', 'QA', 'Production']) await expect(stages.getByRole('checkbox', { name: new RegExp(`^${stage}`) })).toBeChecked()
    await page.getByRole('button', { name: 'Create app' }).click()
    await expect(page.getByRole('heading', { level: 1, name: app.name })).toBeVisible()
    await expect(page.getByText('The app was created.')).toBeVisible()
    await expect(page.getByRole('navigation', { name: 'App sections' }).getByRole('link', { name: 'End-user roles' })).toHaveAttribute('aria-current', 'page')

    await page.getByLabel('Name', { exact: true }).fill(app.role)
    await page.getByLabel('Description', { exact: true }).fill('Approves orders above the limit')
    await page.getByRole('button', { name: 'Create role' }).click()
    await expect(page.getByText('The role was created in every stage')).toBeVisible()
    const row = page.getByRole('row').filter({ hasText: app.role })
    await expect(row.getByRole('cell').nth(1)).toHaveText('Order_Approver') // the claim name, derived from the name
    for (const code of ['DEV', 'QA', 'PRD']) await expect(row.getByRole('term').filter({ hasText: code })).toBeVisible()
  })

  await test.step('the administrator creates a custom role: Deploy assets only in QA, and Open', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roles' }).click()
    await page.getByRole('link', { name: 'Create role' }).click()
    await page.getByLabel('Name', { exact: true }).fill(qaRole)
    await page.getByLabel('Description', { exact: true }).fill('Deploys to QA and nowhere else')

    const release = page.getByRole('group', { name: 'Release management' })
    // By keyboard: focus the checkbox and tick it with the space bar.
    await release.getByRole('checkbox', { name: /^Deploy assets/ }).focus()
    await page.keyboard.press('Space')
    await expect(release.getByRole('checkbox', { name: /^Deploy assets/ })).toBeChecked()
    const deployStages = release.getByRole('group', { name: 'Stages where Deploy assets applies' })
    await expect(deployStages.getByRole('radio', { name: 'All stages' })).toBeChecked()
    await deployStages.getByRole('radio', { name: 'Only in' }).check()
    await deployStages.getByRole('checkbox', { name: 'QA' }).check()
    await deployStages.getByRole('checkbox', { name: 'DEV' }).uncheck()
    await expect(deployStages.getByRole('checkbox', { name: 'PRD' })).not.toBeChecked()

    await page.getByRole('group', { name: 'Asset management' }).getByRole('checkbox', { name: /^Open\b/ }).check()
    await page.getByRole('button', { name: 'Create role' }).click()
    await expect(page.getByText('The role was created.')).toBeVisible()
    await expect(page.getByRole('heading', { level: 1, name: qaRole })).toBeVisible()
  })

  await test.step('the administrator invites a member, then gives them no organization role and the QA role for the app', async () => {
    await page.goto('/users/invite')
    await page.getByLabel('Email').fill(member.email)
    await page.getByLabel('Name (optional)').fill(member.name)
    await page.getByLabel('Organization role').selectOption({ label: 'Developer (built-in)' })
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await expect(page.getByText('Invitation sent.')).toBeVisible()

    await page.getByRole('navigation', { name: 'User sections' }).getByRole('link', { name: 'Organization access' }).click()
    const orgRole = page.locator('form').filter({ has: page.getByLabel('Organization role') })
    await orgRole.getByLabel('Organization role').selectOption({ label: 'No role' })
    await orgRole.getByRole('button', { name: 'Save' }).click()
    // Impact before harm: what the Developer role gave is listed, and taking it away needs a second click.
    const losses = orgRole.getByRole('alert').filter({ hasText: 'They will lose:' })
    await expect(losses.getByRole('listitem').filter({ hasText: 'Release management · Deploy assets in DEV' })).toBeVisible()
    await losses.getByRole('button', { name: 'Save and take this access away' }).click()
    await expect(page.getByText('The role grant was saved.')).toBeVisible()
    await expect(page.getByLabel('Organization role')).toHaveValue('')

    await page.getByLabel('App', { exact: true }).selectOption({ label: app.name })
    await page.getByLabel('Role for this app').selectOption({ label: qaRole })
    await page.getByRole('button', { name: 'Add app role' }).click()
    await expect(page.getByText('The role grant was saved.')).toBeVisible()
    await expect(page.getByLabel(`Role for ${app.name}`)).toHaveValue(/.+/)
    await expect(page.getByLabel(`Role for ${app.name}`).locator('option:checked')).toHaveText(qaRole)
  })

  const invitation = await test.step('the invitation is in the development mailbox', () => readInvitation(page, member.email))

  const memberContext = await browser.newContext()
  const memberPage = await memberContext.newPage()

  await test.step('the member accepts, signs in and sees exactly the QA role’s permissions for the app explained on My access', async () => {
    await acceptInvitation(memberPage, invitation, member)
    await memberPage.getByRole('button', { name: 'Sign out' }).click()
    await expect(memberPage).toHaveURL(/\/sign-in$/)
    await signIn(memberPage, member.email, member.password)
    await memberPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My access' }).click()
    await expect(memberPage.getByRole('heading', { level: 1, name: 'My access' })).toBeVisible()
    await expect(memberPage.getByText('No organization role.')).toBeVisible()
    await expect(memberPage.getByRole('listitem').filter({ hasText: `${app.name}: ${qaRole}` })).toContainText('active')

    // Two categories, one permission each: nothing of the Developer role the invitation gave.
    await expect(memberPage.getByRole('region')).toHaveText([/^Asset management/, /^Release management/])
    const deploy = memberPage.getByRole('region', { name: 'Release management' }).getByRole('listitem')
    await expect(deploy).toHaveCount(2) // the permission and its one source
    await expect(deploy.first()).toContainText('Deploy assets')
    await expect(deploy.last()).toHaveText(`From ${qaRole} · app ${app.name} · QA`)
    const open = memberPage.getByRole('region', { name: 'Asset management' }).getByRole('listitem')
    await expect(open).toHaveCount(2)
    await expect(open.first()).toContainText('Open')
    await expect(open.last()).toHaveText(`From ${qaRole} · app ${app.name} · All stages`)
    await expect(memberPage.getByText('No end-user roles in any app.')).toBeVisible()
    await expect(memberPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toHaveCount(0)
  })
  await memberContext.close()

  await test.step('the administrator invites an end-user: no organization role, the app’s role in QA up front', async () => {
    await page.goto('/users/invite')
    await page.getByLabel('Email').fill(endUser.email)
    await page.getByLabel('Name (optional)').fill(endUser.name)
    await expect(page.getByLabel('Organization role')).toHaveAccessibleDescription(/invite an end-user only/)
    await page.getByLabel('Organization role').selectOption({ label: 'No organization role (end-user only)' })
    await page.getByRole('group', { name: 'End-user roles' }).getByRole('checkbox', { name: `${app.name} · ${app.role} (QA)` }).check()
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await expect(page.getByText('Invitation sent.')).toBeVisible()
  })

  await test.step('the administrator creates a group in PRD granting the app’s role, and adds the end-user', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click()
    await page.getByRole('link', { name: 'New group' }).click()
    await page.getByLabel('Name', { exact: true }).fill(group)
    await expect(page.getByLabel('Stage')).toHaveAccessibleDescription(/Fixed once the group exists/)
    await page.getByLabel('Stage').selectOption({ label: 'Production (PRD)' })
    await page.getByRole('button', { name: 'Create group' }).click()
    await expect(page.getByText('Group created.')).toBeVisible()
    await expect(page.getByRole('heading', { level: 1, name: group })).toBeVisible()

    await page.getByRole('group', { name: app.name }).getByRole('checkbox', { name: new RegExp(`^${app.role}`) }).check()
    await page.getByRole('button', { name: 'Save roles' }).click()
    await expect(page.getByText('The roles were saved.')).toBeVisible()
    await expect(page.getByRole('group', { name: app.name }).getByRole('checkbox', { name: new RegExp(`^${app.role}`) })).toBeChecked()

    await page.getByRole('navigation', { name: 'Group sections' }).getByRole('link', { name: /^Users/ }).click()
    await page.getByLabel('Add a user by email').fill(endUser.email)
    await page.getByRole('button', { name: 'Add user' }).click()
    await expect(page.getByText('The user was added.')).toBeVisible()
    await expect(page.getByRole('row').filter({ hasText: endUser.email })).toContainText('Assigned')
  })

  await test.step('the end-user’s effective permissions show the role through the group, and the end-user grid marks it and keeps it ticked', async () => {
    await openUser(page, endUser.email, endUser.name)
    await page.getByRole('navigation', { name: 'User sections' }).getByRole('link', { name: 'Effective permissions' }).click()
    const roleRows = page.getByRole('row').filter({ hasText: app.role })
    await expect(roleRows).toHaveCount(2)
    await expect(roleRows.filter({ hasText: 'PRD' }).getByRole('cell')).toHaveText([app.name, 'PRD', app.role, `through group “${group}”`])
    await expect(roleRows.filter({ hasText: 'QA' }).getByRole('cell')).toHaveText([app.name, 'QA', app.role, 'assigned directly'])

    await page.getByRole('navigation', { name: 'User sections' }).getByRole('link', { name: 'End-user access' }).click()
    const inPrd = page.getByRole('checkbox', { name: `${app.role} in PRD for ${app.name}` })
    await expect(inPrd).toBeChecked()
    await expect(inPrd).toBeDisabled()
    await expect(page.getByRole('cell').filter({ has: inPrd })).toContainText(`via ${group}`)
    await expect(page.getByRole('checkbox', { name: `${app.role} in QA for ${app.name}` })).toBeChecked()
    await expect(page.getByRole('checkbox', { name: `${app.role} in QA for ${app.name}` })).toBeEnabled()
    await expect(page.getByRole('checkbox', { name: `${app.role} in DEV for ${app.name}` })).not.toBeChecked()
  })

  await test.step('the administrator deletes the group after its impact preview names who loses what', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click()
    await page.getByRole('link', { name: group }).click()
    await page.getByRole('navigation', { name: 'Group sections' }).getByRole('link', { name: 'Details' }).click()
    await page.getByRole('button', { name: 'Delete group' }).click()
    const dialog = page.getByRole('dialog', { name: `Delete ${group}?` })
    await expect(dialog).toBeVisible()
    await expect(dialog.getByRole('listitem').filter({ hasText: `${app.name} · ${app.role}` })).toHaveText(`1 user loses ${app.name} · ${app.role}`)
    await expect(dialog.getByRole('listitem').filter({ hasText: endUser.email })).toContainText(endUser.name)
    await dialog.getByRole('button', { name: 'Delete group' }).click()
    await expect(page).toHaveURL(/\/groups(\?|$)/)
    await expect(page.getByRole('link', { name: group })).toHaveCount(0)
  })

  await test.step('the end-user no longer holds the role in PRD, and keeps the one assigned directly', async () => {
    await openUser(page, endUser.email, endUser.name)
    await page.getByRole('navigation', { name: 'User sections' }).getByRole('link', { name: 'Effective permissions' }).click()
    const roleRows = page.getByRole('row').filter({ hasText: app.role })
    await expect(roleRows).toHaveCount(1)
    await expect(roleRows.getByRole('cell')).toHaveText([app.name, 'QA', app.role, 'assigned directly'])
    await page.getByRole('navigation', { name: 'User sections' }).getByRole('link', { name: 'End-user access' }).click()
    await expect(page.getByRole('checkbox', { name: `${app.role} in PRD for ${app.name}` })).not.toBeChecked()
  })
})
