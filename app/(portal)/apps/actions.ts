'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { formValues, runAction } from '@/lib/actions'
import { createApp } from '@/lib/apps/create-app'
import { createAppRole } from '@/lib/apps/create-app-role'
import { deleteApp, previewAppDeletion } from '@/lib/apps/delete-app'
import { deleteAppRole, previewAppRoleDeletion } from '@/lib/apps/delete-app-role'
import { previewAppStages, updateApp } from '@/lib/apps/update-app'
import { updateAppRole } from '@/lib/apps/update-app-role'
import { getRequestContext } from '@/lib/request'
import { uuidSchema } from '@/lib/validation'
import type { AppNotice } from './notices'

// Each action is a public endpoint: it only adapts the form to a use case, which validates and
// authorizes. `appKey` on role forms only says which page to return to.

/** The form's fields, with the stage checkboxes as one list (formValues keeps one value per name). */
function appFormValues(formData: FormData, ...fields: string[]): Record<string, unknown> {
  const values = formValues(formData, ...fields.filter((f) => f !== 'stageKeys'))
  if (fields.includes('stageKeys')) values.stageKeys = formData.getAll('stageKeys').filter((v) => typeof v === 'string')
  return values
}

const backTo = (appKey: unknown, tab: 'roles' | 'details', notice: AppNotice): never => {
  const key = uuidSchema.safeParse(appKey)
  if (!key.success) redirect(`/apps?notice=${notice}`)
  revalidatePath(`/apps/${key.data}`)
  redirect(`/apps/${key.data}?tab=${tab}&notice=${notice}`)
}

export async function createAppAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => createApp(ctx, appFormValues(formData, 'name', 'description', 'stageKeys')))
  if (!result.ok) return result
  return backTo(result.data!.key, 'roles', 'created')
}

export async function updateAppAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const values = appFormValues(formData, 'appKey', 'version', 'name', 'description', 'stageKeys')
  const result = await runAction(() => updateApp(ctx, values))
  if (!result.ok) return result
  return backTo(values.appKey, 'details', 'saved')
}

/** Called while the stage checkboxes change: what saving them would add and take away. */
export async function previewAppStagesAction(appKey: string, stageKeys: string[]) {
  const ctx = await getRequestContext()
  return runAction(() => previewAppStages(ctx, { appKey, stageKeys }))
}

export async function previewAppDeletionAction(appKey: string) {
  const ctx = await getRequestContext()
  return runAction(() => previewAppDeletion(ctx, { appKey }))
}

export async function deleteAppAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => deleteApp(ctx, formValues(formData, 'appKey', 'version')))
  if (!result.ok) return result
  revalidatePath('/apps')
  redirect('/apps?notice=deleted')
}

export async function createAppRoleAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const values = formValues(formData, 'appKey', 'name', 'description', 'isPublic', 'claimName')
  const result = await runAction(() => createAppRole(ctx, values))
  if (!result.ok) return result
  return backTo(values.appKey, 'roles', 'role-created')
}

export async function updateAppRoleAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => updateAppRole(ctx, formValues(formData, 'roleKey', 'version', 'name', 'description', 'isPublic', 'claimName')))
  if (!result.ok) return result
  return backTo(formData.get('appKey'), 'roles', 'role-saved')
}

export async function previewAppRoleDeletionAction(roleKey: string) {
  const ctx = await getRequestContext()
  return runAction(() => previewAppRoleDeletion(ctx, { roleKey }))
}

export async function deleteAppRoleAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => deleteAppRole(ctx, formValues(formData, 'roleKey', 'version')))
  if (!result.ok) return result
  return backTo(formData.get('appKey'), 'roles', 'role-deleted')
}
