import 'server-only'
import { setRoleGrant } from '../access/grants'
import type { Ctx } from '../context'
import { parse } from '../validation'
import { setOrganizationRoleSchema } from './schemas'

/**
 * Sets the user's one organization-scope role, replacing the previous one, or removes it ("No
 * role"), with no grant period. The rules live in setRoleGrant.
 */
export async function setOrganizationRole(ctx: Ctx, input: unknown): Promise<void> {
  const { userKey, roleKey } = parse(setOrganizationRoleSchema, input)
  await setRoleGrant(ctx, { userKey, roleKey: roleKey ?? '' })
}
