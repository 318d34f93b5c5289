'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { formValues, runAction, type ActionResult } from '@/lib/actions'
import { getRequestContext } from '@/lib/request'
import { createRole } from '@/lib/roles/create-role'
import { deleteRole } from '@/lib/roles/delete-role'
import { duplicateRole } from '@/lib/roles/duplicate-role'
import type { RoleImpact } from '@/lib/roles/impact'
import { previewRoleChange } from '@/lib/roles/preview-role-change'
import { updateRole } from '@/lib/roles/update-role'

// Each action is a public endpoint: it only adapts the form to a use case, which authorizes.
// The role editor adds UI-only inputs (stage-limit radios); only the named fields are passed on.
const ROLE_FIELDS = ['name', 'description', 'permissions']

export async function createRoleAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => createRole(ctx, formValues(formData, ...ROLE_FIELDS)))
  if (!result.ok) return result
  revalidatePath('/roles')
  redirect(`/roles/${result.data!.roleKey}?notice=created`)
}

export async function updateRoleAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const values = formValues(formData, 'roleKey', 'version', ...ROLE_FIELDS)
  const result = await runAction(() => updateRole(ctx, values))
  if (!result.ok) return result
  revalidatePath('/roles')
  redirect(`/roles/${values.roleKey}?notice=saved`)
}

/** What saving would take away, for the confirmation step; changes nothing. */
export async function previewRoleChangeAction(formData: FormData): Promise<ActionResult<RoleImpact>> {
  const ctx = await getRequestContext()
  return runAction(() => previewRoleChange(ctx, formValues(formData, 'roleKey', 'permissions')))
}

export async function duplicateRoleAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => duplicateRole(ctx, formValues(formData, 'roleKey')))
  if (!result.ok) return result
  revalidatePath('/roles')
  redirect(`/roles/${result.data!.roleKey}?notice=duplicated`)
}

export async function deleteRoleAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => deleteRole(ctx, formValues(formData, 'roleKey', 'version')))
  if (!result.ok) return result
  revalidatePath('/roles')
  redirect('/roles?notice=deleted')
}
