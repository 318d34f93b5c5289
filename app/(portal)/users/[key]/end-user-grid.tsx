'use client'

import { useState } from 'react'
import { ConfirmLosses } from '@/components/forms/confirm-losses'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, useFormAction } from '@/components/forms/use-form-action'
import { Badge } from '@/components/ui/badge'
import { SubmitButton } from '@/components/ui/submit-button'
import type { EndUserAccess } from '@/lib/access/end-user-access'
import { setEndUserRolesAction } from '../actions'

/**
 * Apps × stages of checkboxes for direct application roles (EUR-1). A role a group grants is shown
 * with the group's name; it can only be taken away on the group. Cells the viewer may not change are
 * read-only, and their current value is sent back unchanged.
 */
export function EndUserGrid({ access }: { access: EndUserAccess }) {
  const [state, action] = useFormAction(setEndUserRolesAction)
  // Controlled, so the ticks survive the form reset after a submission that asks for confirmation.
  const [checked, setChecked] = useState(() => new Set(access.apps.flatMap((a) => a.roles.flatMap((r) => Object.values(r.cells).filter((c) => c.direct).map((c) => c.instanceKey)))))
  const toggle = (key: string, on: boolean) =>
    setChecked((prev) => {
      const next = new Set(prev)
      if (on) next.add(key)
      else next.delete(key)
      return next
    })
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="userKey" value={access.userKey} />
      {access.apps.map((a) => (
        <input key={a.key} type="hidden" name="appKeys" value={a.key} />
      ))}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs text-slate-500 uppercase">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">
                App and role
              </th>
              {access.stages.map((s) => (
                <th key={s.key} scope="col" className="px-3 py-2 text-center font-medium" title={s.name}>
                  {s.code}
                </th>
              ))}
            </tr>
          </thead>
          {access.apps.map((a) => (
            <tbody key={a.key} className="border-t border-slate-200 dark:border-slate-800">
              <tr>
                <th scope="rowgroup" colSpan={access.stages.length + 1} className="pt-3 pb-1 text-left font-semibold">
                  {a.name}
                </th>
              </tr>
              {a.roles.length === 0 && (
                <tr>
                  <td colSpan={access.stages.length + 1} className="pb-2 text-slate-500">
                    This app has no end-user roles yet.
                  </td>
                </tr>
              )}
              {a.roles.map((r) => (
                <tr key={r.appRoleKey}>
                  <th scope="row" className="py-1.5 pr-4 font-normal" title={r.description || undefined}>
                    {r.name}
                  </th>
                  {access.stages.map((s) => {
                    const cell = r.cells[s.key]
                    if (!cell)
                      return (
                        <td key={s.key} className="px-3 text-center text-xs text-slate-400">
                          <span aria-label={`${a.name} is not deployed to ${s.code}`}>—</span>
                        </td>
                      )
                    if (cell.hidden)
                      return (
                        <td key={s.key} className="px-3 text-center text-xs text-slate-400">
                          <span title={`You cannot see end-user roles in ${s.code}`} aria-label={`${r.name} in ${s.code}: not visible to you`}>
                            hidden
                          </span>
                        </td>
                      )
                    const label = `${r.name} in ${s.code} for ${a.name}`
                    const inheritedOnly = !cell.direct && cell.viaGroups.length > 0
                    return (
                      <td key={s.key} className="px-3 py-1.5 text-center align-top">
                        {cell.direct && !cell.editable && <input type="hidden" name="instanceKeys" value={cell.instanceKey} />}
                        <input
                          type="checkbox"
                          name="instanceKeys"
                          value={cell.instanceKey}
                          checked={inheritedOnly || checked.has(cell.instanceKey)}
                          onChange={(e) => toggle(cell.instanceKey, e.target.checked)}
                          disabled={!cell.editable || inheritedOnly}
                          aria-label={label}
                          className="h-4 w-4 accent-brand-600"
                        />
                        {cell.viaGroups.map((g) => (
                          <div key={g.key}>
                            <Badge>via {g.name}</Badge>
                          </div>
                        ))}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
      <ConfirmLosses state={state} label="Save and remove these roles" />
      {!fieldErrors(state, 'confirm') && <FormMessage state={state} />}
      {access.editable && <SubmitButton pendingLabel="Saving…">Save end-user roles</SubmitButton>}
    </form>
  )
}
