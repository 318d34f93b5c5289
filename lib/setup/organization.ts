import 'server-only'
import { getDb } from '@/db/client'
import { organizations, type Organization } from '@/db/schema'

/** The deployment's organization, or null before first-run setup. Public: the sign-in page shows its name. */
export async function getOrganization(): Promise<Pick<Organization, 'key' | 'name' | 'passwordPolicy'> | null> {
  const db = await getDb()
  const [org] = await db.select({ key: organizations.key, name: organizations.name, passwordPolicy: organizations.passwordPolicy }).from(organizations).limit(1)
  return org ?? null
}

export async function isSetUp(): Promise<boolean> {
  return (await getOrganization()) !== null
}
