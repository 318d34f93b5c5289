type Loss = { instanceKey: string; appName: string; roleName: string; users: number }
type Affected = { key: string; name: string; email: string | null }

const people = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'user' : 'users'}`

/** "120 users lose Orders · Approver", plus the first affected users by name (impact before harm). */
export function RoleLosses({ losses, usersLosingAccess, firstUsers }: { losses: Loss[]; usersLosingAccess: number; firstUsers: Affected[] }) {
  if (losses.length === 0) return <p>No roles are taken away.</p>
  return (
    <div className="space-y-3">
      <ul className="list-disc space-y-1 pl-5">
        {losses.map((l) => (
          <li key={l.instanceKey}>
            <strong>{people(l.users)}</strong> {l.users === 1 ? 'loses' : 'lose'} {l.appName} · {l.roleName}
            {l.users === 0 && ' (everyone holds it another way)'}
          </li>
        ))}
      </ul>
      {firstUsers.length > 0 && (
        <div>
          <p className="font-medium">
            {usersLosingAccess > firstUsers.length ? `The first ${firstUsers.length} of ${people(usersLosingAccess)} who lose access:` : 'Who loses access:'}
          </p>
          <ul className="mt-1 max-h-40 overflow-y-auto text-xs">
            {firstUsers.map((u) => (
              <li key={u.key}>
                {u.name || '(no name)'} {u.email && <span className="text-slate-500">· {u.email}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
