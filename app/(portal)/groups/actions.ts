'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { formValues, runAction, type ActionResult } from '@/lib/actions'
import { addGroupMember } from '@/lib/groups/add-group-member'
import { createGroup } from '@/lib/groups/create-group'
import { deleteGroup } from '@/lib/groups/delete-group'
import { removeGroupMember } from '@/lib/groups/remove-group-member'
import { previewGroupRoles, setGroupRoles, type GroupRolesImpact } from '@/lib/groups/set-group-roles'
import { updateGroup } from '@/lib/groups/update-group'
import { getRequestContext } from '@/lib/request'
import type { GroupNotice } from './notices'

// Each action is a public endpoint: it only adapts the form to a use case, which authorizes.

export async function createGroupAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => createGroup(ctx, formValues(formData, 'name', 'description', 'stageKey')))
  if (!result.ok) return result
  redirect(`/groups/${result.data!.groupKey}?notice=created`)
}

/** Runs a use case on one group and reloads the group's tab with a notice. */
function groupAction(fn: (ctx: Awaited<ReturnType<typeof getRequestContext>>, input: unknown) => Promise<unknown>, tab: string, notice: GroupNotice, values: (f: FormData) => Record<string, unknown> = (f) => formValues(f)) {
  return async (_prev: unknown, formData: FormData) => {
    const ctx = await getRequestContext()
    const input = values(formData)
    const result = await runAction(() => fn(ctx, input))
    if (!result.ok || typeof input.groupKey !== 'string') return result
    revalidatePath(`/groups/${input.groupKey}`)
    redirect(`/groups/${input.groupKey}?tab=${tab}&notice=${notice}`)
  }
}

/** Checkboxes arrive as repeated `instanceKeys` fields. */
const rolesForm = (f: FormData): Record<string, unknown> => ({ ...formValues(f, 'groupKey', 'version'), instanceKeys: f.getAll('instanceKeys').filter((v) => typeof v === 'string') })

export const setGroupRolesAction = groupAction(setGroupRoles, 'roles', 'roles-saved', rolesForm)
export const addGroupMemberAction = groupAction(addGroupMember, 'users', 'member-added')
export const removeGroupMemberAction = groupAction(removeGroupMember, 'users', 'member-removed')
export const updateGroupAction = groupAction(updateGroup, 'details', 'saved')

/** What saving the ticked roles would take away; the form shows it before applying. */
export async function previewGroupRolesAction(formData: FormData): Promise<ActionResult<GroupRolesImpact>> {
  const ctx = await getRequestContext()
  const input = rolesForm(formData)
  return runAction(() => previewGroupRoles(ctx, { groupKey: input.groupKey, instanceKeys: input.instanceKeys }))
}

export async function deleteGroupAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => deleteGroup(ctx, formValues(formData)))
  if (!result.ok) return result
  redirect('/groups?deleted=1')
}
