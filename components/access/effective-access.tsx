import { Badge } from '@/components/ui/badge'
import { Card, EmptyState } from '@/components/ui/card'
import type { AccessExplanation } from '@/lib/access/explain-access'

const anchor = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-')

/** Member permissions by category and end-user roles by app and stage, each with where it comes from (AUTHZ-3). */
export function EffectiveAccess({ access, subject }: { access: AccessExplanation; subject: 'you' | 'they' }) {
  const holds = subject === 'you' ? 'you hold' : 'they hold'
  return (
    <>
      <Card title="Effective permissions" description={`Each permission ${holds}, with the role, scope and stages it comes from.`}>
        {access.categories.length === 0 ? (
          <EmptyState title={subject === 'you' ? 'You hold no member permissions' : 'No member permissions'}>
            {subject === 'you' ? 'Ask an administrator for a role.' : 'Give them an organization role or an app role on the Organization access tab.'}
          </EmptyState>
        ) : (
          <div className="space-y-6">
            {access.categories.map((c) => (
              <section key={c.category} aria-labelledby={`cat-${anchor(c.category)}`}>
                <h3 id={`cat-${anchor(c.category)}`} className="mb-2 text-sm font-semibold tracking-wide text-slate-500 uppercase">
                  {c.category}
                </h3>
                <ul className="divide-y divide-slate-100 dark:divide-slate-800">
                  {c.permissions.map((p) => (
                    <li key={p.slug} className="grid gap-1 py-2 text-sm sm:grid-cols-[14rem_1fr]">
                      <div>
                        <p className="font-medium">{p.name}</p>
                        <p className="text-xs text-slate-500">{p.purpose}</p>
                      </div>
                      <ul className="space-y-0.5">
                        {p.sources.map((s, i) => (
                          <li key={i} className="text-slate-600 dark:text-slate-300">
                            From <span className="font-medium">{s.scopeLabel}</span> · <span>{s.stageLabel}</span>
                            {s.viaLabel && <span className="text-slate-500"> · {s.viaLabel}</span>}
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        )}
      </Card>
      <Card title="End-user roles" description={`Application roles ${holds}, per app and stage, and how.`} className="mt-6">
        {access.endUserRoles.length === 0 ? (
          <p className="text-sm text-slate-500">No end-user roles in any app.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-slate-500 uppercase">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">App</th>
                <th scope="col" className="py-2 pr-4 font-medium">Stage</th>
                <th scope="col" className="py-2 pr-4 font-medium">Role</th>
                <th scope="col" className="py-2 font-medium">Source</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {access.endUserRoles.map((r) => (
                <tr key={`${r.appKey}-${r.stageCode}-${r.roleName}`}>
                  <td className="py-2 pr-4">{r.appName}</td>
                  <td className="py-2 pr-4">
                    <Badge>{r.stageCode}</Badge>
                  </td>
                  <td className="py-2 pr-4 font-medium">{r.roleName}</td>
                  <td className="py-2 text-slate-600 dark:text-slate-300">{r.sources.join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  )
}
