import { expect, test, type APIRequestContext } from '@playwright/test'
import { signInAsAdmin } from './helpers'

// An API client from the portal to the API: the administrator creates a client that may view
// members, copies the secret shown once, a script exchanges it for a token and calls the API; the
// administrator suspends the client and its token stops working at the next call, resumes it and
// the same token works again (APIC-4).

test.describe.configure({ mode: 'serial' })

const client = { name: 'Nightly export' }

async function whoami(request: APIRequestContext, token: string) {
  return request.get('/api/gatehouse/v1/whoami', { headers: { authorization: `Bearer ${token}` } })
}

test('an API client created in the portal gets a token, calls the API, and is stopped by a suspension', async ({ page, playwright }) => {
  await signInAsAdmin(page)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API clients' }).click()
  await page.getByRole('link', { name: 'New API client' }).click()
  await page.getByLabel('Name', { exact: true }).fill(client.name)
  await page.getByRole('group', { name: 'User and access management' }).getByRole('checkbox', { name: /^View members/ }).check()
  await page.getByRole('button', { name: 'Create API client' }).click()

  await expect(page.getByRole('heading', { name: 'Copy the secret now' })).toBeVisible()
  const clientId = await page.getByRole('textbox', { name: 'Client id' }).inputValue()
  const clientSecret = await page.getByRole('textbox', { name: 'Client secret' }).inputValue()
  expect(clientId).toMatch(/^[0-9a-f]{32}$/)
  expect(clientSecret.length).toBeGreaterThanOrEqual(43)

  // A script, with no browser session: discovery, then the token endpoint, then the API.
  const script = await playwright.request.newContext({ baseURL: new URL(page.url()).origin })
  const discovery = await (await script.get('/identity/.well-known/openid-configuration')).json()
  const tokenResponse = await script.post(new URL(discovery.token_endpoint).pathname, { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } })
  expect(tokenResponse.status()).toBe(200)
  const { access_token: token, expires_in, token_type } = await tokenResponse.json()
  expect({ expires_in, token_type }).toEqual({ expires_in: 43200, token_type: 'Bearer' })

  const me = await whoami(script, token)
  expect(me.status()).toBe(200)
  expect((await me.json()).permissions).toContainEqual({ slug: 'users.view_members', stageKeys: null })

  await page.getByRole('link', { name: 'I have stored the secret — open the client' }).click()
  await expect(page.getByRole('heading', { level: 1, name: client.name })).toBeVisible()
  await page.getByRole('button', { name: 'Suspend' }).click()
  await page.getByRole('dialog', { name: `Suspend ${client.name}?` }).getByRole('button', { name: 'Suspend' }).click()
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible()

  const refused = await whoami(script, token)
  expect(refused.status()).toBe(401)
  expect(await refused.json()).toMatchObject({ status: 401, traceId: expect.any(String), errorCode: expect.stringMatching(/^GH-/) })

  await page.getByRole('button', { name: 'Resume' }).click()
  await page.getByRole('dialog', { name: `Resume ${client.name}?` }).getByRole('button', { name: 'Resume' }).click()
  await expect(page.getByRole('button', { name: 'Suspend' })).toBeVisible()
  expect((await whoami(script, token)).status()).toBe(200)
  await script.dispose()
})
