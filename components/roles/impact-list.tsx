import type { RoleImpact } from '@/lib/roles/impact'

/** "12 users lose Release management · Deploy assets in PRD", one line per loss. */
export function ImpactList({ impact }: { impact: RoleImpact }) {
  const losses = impact.lost.filter((l) => l.users > 0)
  if (losses.length === 0) return <p>Nobody loses access: no user holds this role in a way that uses what changes.</p>
  return (
    <ul className="max-h-64 list-disc space-y-1 overflow-y-auto pl-5">
      {losses.map((l) => (
        <li key={`${l.slug}:${l.scopes.join()}`}>
          <strong>
            {l.users.toLocaleString('en')} {l.users === 1 ? 'user loses' : 'users lose'}
          </strong>{' '}
          {l.label}
        </li>
      ))}
    </ul>
  )
}
