import 'server-only'
import { sql, type SQL } from 'drizzle-orm'
import type { Tx } from '@/db/client'
import { refreshEndUserFlag } from '../access/end-user-flag'

export type StageImpact = { stageKey: string; stageCode: string; stageName: string; users: number; groups: number }

/** Who loses application roles when some role instances go away, per stage and in total. */
export type Impact = { users: number; groups: number; stages: StageImpact[] }

export const noImpact: Impact = { users: 0, groups: 0, stages: [] }

/**
 * Users who hold one of the chosen instances, directly or as members of a group that holds it,
 * paired with the instance's stage. `instances` is a condition on app_role_instances.
 */
const holders = (instances: SQL) => sql`
  select app_role_instances.stage_key, a.user_key from end_user_role_assignments a
    join app_role_instances on app_role_instances.key = a.instance_key where ${instances}
  union
  select app_role_instances.stage_key, gm.user_key from group_roles gr
    join app_role_instances on app_role_instances.key = gr.instance_key
    join group_members gm on gm.group_key = gr.group_key where ${instances}`

/**
 * Counts what removing the instances matching `instances` (a condition on the columns of
 * app_role_instances, e.g. `eq(appRoleInstances.appKey, key)`) would take away: users who lose at least one role in each stage,
 * groups that lose at least one role there, and distinct users and groups overall. Three
 * aggregate queries whatever the numbers.
 */
export async function instanceImpact(tx: Tx, instances: SQL): Promise<Impact> {
  const result = await tx.execute(sql`
    with h as (${holders(instances)}),
    g as (
      select distinct app_role_instances.stage_key, gr.group_key from group_roles gr
        join app_role_instances on app_role_instances.key = gr.instance_key where ${instances}
    ),
    affected as (select stage_key from h union select stage_key from g)
    select s.key as stage_key, s.code as stage_code, s.name as stage_name,
      (select count(distinct h.user_key)::int from h where h.stage_key = s.key) as users,
      (select count(*)::int from g where g.stage_key = s.key) as groups,
      (select count(distinct h.user_key)::int from h) as total_users,
      (select count(distinct g.group_key)::int from g) as total_groups
    from stages s where s.key in (select stage_key from affected) order by s.position`)
  const rows = result.rows as Array<{ stage_key: string; stage_code: string; stage_name: string; users: number; groups: number; total_users: number; total_groups: number }>
  if (rows.length === 0) return noImpact
  return {
    users: rows[0].total_users,
    groups: rows[0].total_groups,
    stages: rows.map((r) => ({ stageKey: r.stage_key, stageCode: r.stage_code, stageName: r.stage_name, users: r.users, groups: r.groups })),
  }
}

/**
 * Runs `remove` (which deletes the instances matching `instances`, or what owns them) and then
 * recomputes users.is_end_user for everyone who held one of them. The holders are written to a
 * temporary table before the delete — afterwards nothing links them to the removed instances — so
 * the refresh is one statement however many users are affected.
 */
export async function removingInstances(tx: Tx, instances: SQL, remove: () => Promise<void>): Promise<void> {
  await tx.execute(sql`create temp table if not exists apps_revoked_holders (user_key uuid primary key) on commit drop`)
  await tx.execute(sql`delete from apps_revoked_holders`)
  await tx.execute(sql`insert into apps_revoked_holders (user_key) select distinct user_key from (${holders(instances)}) h`)
  await remove()
  await refreshEndUserFlag(tx, sql`select user_key from apps_revoked_holders`)
}
