'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { formValues, runAction, type ActionResult } from '@/lib/actions'
import { createApiClient } from '@/lib/api-clients/create-api-client'
import { deleteApiClient } from '@/lib/api-clients/delete-api-client'
import { rotateApiClientSecret } from '@/lib/api-clients/rotate-api-client-secret'
import { setApiClientPermissions } from '@/lib/api-clients/set-api-client-permissions'
import { resumeApiClient, suspendApiClient } from '@/lib/api-clients/suspend-api-client'
import { updateApiClient } from '@/lib/api-clients/update-api-client'
import { getRequestContext } from '@/lib/request'
import type { ApiClientNotice } from './notices'

// Each action is a public endpoint: it only adapts the form to a use case, which authorizes.

/** What the browser gets once after creating a client or rotating its secret (APIC-4): never put in a URL. */
export type RevealedSecret = { clientKey: string; clientId: string; clientSecret: string; expiresAt: string }

export async function createApiClientAction(_prev: unknown, formData: FormData): Promise<ActionResult<RevealedSecret>> {
  const ctx = await getRequestContext()
  const result = await runAction(() => createApiClient(ctx, formValues(formData, 'name', 'description', 'expiresOn', 'remind', 'permissions')))
  if (!result.ok) return result
  revalidatePath('/api-clients')
  const c = result.data!
  return { ok: true, data: { clientKey: c.clientKey, clientId: c.clientId, clientSecret: c.clientSecret, expiresAt: c.expiresAt.toISOString() } }
}

export async function rotateApiClientSecretAction(_prev: unknown, formData: FormData): Promise<ActionResult<RevealedSecret>> {
  const ctx = await getRequestContext()
  const input = formValues(formData, 'clientKey', 'expiresOn', 'remind', 'overlapHours')
  const result = await runAction(() => rotateApiClientSecret(ctx, input))
  if (!result.ok) return result
  revalidatePath('/api-clients')
  revalidatePath(`/api-clients/${input.clientKey}`)
  const r = result.data!
  return { ok: true, data: { clientKey: String(input.clientKey), clientId: r.clientId, clientSecret: r.clientSecret, expiresAt: r.expiresAt.toISOString() } }
}

/** Runs a use case on one client and reloads its tab with a notice. */
function clientAction(fn: (ctx: Awaited<ReturnType<typeof getRequestContext>>, input: unknown) => Promise<unknown>, tab: string, notice: ApiClientNotice, fields: string[]) {
  return async (_prev: unknown, formData: FormData) => {
    const ctx = await getRequestContext()
    const input = formValues(formData, 'clientKey', ...fields)
    const result = await runAction(() => fn(ctx, input))
    if (!result.ok || typeof input.clientKey !== 'string') return result
    revalidatePath('/api-clients')
    redirect(`/api-clients/${input.clientKey}?tab=${tab}&notice=${notice}`)
  }
}

export const updateApiClientAction = clientAction(updateApiClient, 'details', 'saved', ['name', 'description', 'version'])
export const setApiClientPermissionsAction = clientAction(setApiClientPermissions, 'permissions', 'permissions-saved', ['permissions', 'version'])
export const suspendApiClientAction = clientAction(suspendApiClient, 'details', 'suspended', [])
export const resumeApiClientAction = clientAction(resumeApiClient, 'details', 'resumed', [])

export async function deleteApiClientAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => deleteApiClient(ctx, formValues(formData, 'clientKey')))
  if (!result.ok) return result
  revalidatePath('/api-clients')
  redirect('/api-clients?notice=deleted')
}
