import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from '@playwright/test'
import { signInAsAdmin } from './helpers'

// The README's REST walkthrough (digest REST-13), run as printed against the running portal: an
// API client from the CLI, a token, a user, an app with an end-user role, the role found through
// the identity API and granted. If the README changes, this runs the new text.

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '..')

function walkthrough(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8')
  const marker = readme.indexOf('<!-- rest-walkthrough')
  expect(marker, 'the README marks its REST walkthrough').toBeGreaterThan(-1)
  const start = readme.indexOf('```sh\n', marker) + '```sh\n'.length
  return readme.slice(start, readme.indexOf('\n```', start))
}

test('the README walkthrough creates a client, a user and an app role, and grants it over HTTP', async ({ baseURL }) => {
  test.setTimeout(120_000)
  const script = walkthrough()
  const { stdout, stderr } = await run('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: root,
    env: {
      ...process.env,
      GATEHOUSE: baseURL!,
      // The CLI joins the portal's embedded database, with the portal's secret.
      DATA_DIR: process.env.GATEHOUSE_E2E_DATA_DIR!,
      DATABASE_URL: '',
      AUTH_SECRET: process.env.GATEHOUSE_E2E_AUTH_SECRET!,
      NODE_ENV: 'development',
    },
    timeout: 110_000,
  })
  const lines = stdout.trim().split('\n')
  expect(lines, stderr).toEqual(['201', '{"name":"Approver","isDirectlyAssigned":true}'])
})

test('the API reference in the portal lists every operation, finds one and shows its details', async ({ page }) => {
  await signInAsAdmin(page)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'API reference' })).toBeVisible()
  await expect(page.getByText('37 operations.')).toBeVisible()

  await page.getByRole('searchbox', { name: 'Find an operation' }).fill('endusers.manage_access')
  await page.getByRole('button', { name: 'Find' }).click()
  await expect(page.getByText('2 of 37 operations match.')).toBeVisible()
  await page.getByText('/users/{key}/application-roles/{roleKey}').first().click()
  await expect(page.getByText('UserApplicationRoles_GrantApplicationRoleToUser')).toBeVisible()

  await page.getByRole('link', { name: 'Gatehouse API v1' }).click()
  await expect(page.getByRole('heading', { name: 'Access checks' })).toBeVisible()
  const documentLink = page.getByRole('link', { name: '/api/gatehouse/v1/openapi.json' })
  const served = await page.request.get((await documentLink.getAttribute('href'))!)
  expect(served.status()).toBe(200)
  expect((await served.json()).info.title).toBe('Gatehouse API')
})
