import type { AppDeletionImpact } from '@/lib/apps/delete-app'
import type { Impact } from '@/lib/apps/impact'

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`

/** “38 users and 2 groups lose roles in QA”, one line per stage; empty when nobody loses anything. */
export function impactLines(impact: Impact, what = 'roles'): string[] {
  return impact.stages
    .filter((s) => s.users > 0 || s.groups > 0)
    .map((s) => {
      const parts = [s.users > 0 ? plural(s.users, 'user') : null, s.groups > 0 ? plural(s.groups, 'group') : null].filter(Boolean)
      const verb = s.users + s.groups === 1 ? 'loses' : 'lose'
      return `${parts.join(' and ')} ${verb} ${what} in ${s.stageCode}`
    })
}

export function impactSummary(impact: Impact, what = 'roles'): string {
  if (impact.users === 0 && impact.groups === 0) return `Nobody holds ${what === 'roles' ? 'these roles' : 'it'}: no user or group loses anything.`
  return `${plural(impact.users, 'user')} and ${plural(impact.groups, 'group')} lose ${what} in total.`
}

export function appDeletionLines(d: AppDeletionImpact): string[] {
  return [
    `${plural(d.roles, 'end-user role')} and ${d.roles === 1 ? 'its' : 'their'} instances in every stage are deleted.`,
    ...impactLines(d.impact),
    impactSummary(d.impact),
    d.members > 0 ? `${plural(d.members, 'member')} ${d.members === 1 ? 'loses an organization role' : 'lose their organization roles'} for this app.` : 'No member has an organization role for this app.',
  ]
}
