'use client'

import { useRef, useState, useTransition } from 'react'
import { RoleLosses } from '@/components/groups/role-losses'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, useFormAction } from '@/components/forms/use-form-action'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import type { GroupAppRoles } from '@/lib/groups/get-group'
import type { GroupRolesImpact } from '@/lib/groups/set-group-roles'
import { previewGroupRolesAction, setGroupRolesAction } from '../actions'

/**
 * The roles a group grants, per app deployed in its stage. Saving a set that takes roles away first
 * shows who loses what, and applies only on confirmation (impact before harm).
 */
export function GroupRolesForm({ groupKey, version, apps, stageCode, canManage }: { groupKey: string; version: number; apps: GroupAppRoles[]; stageCode: string; canManage: boolean }) {
  const [state, action] = useFormAction(setGroupRolesAction)
  const form = useRef<HTMLFormElement>(null)
  const dialog = useRef<HTMLDialogElement>(null)
  const confirmed = useRef(false)
  const [impact, setImpact] = useState<GroupRolesImpact | null>(null)
  const [previewError, setPreviewError] = useState<string | null>(null)
  const [previewing, startPreview] = useTransition()
  const initial = new Set(apps.flatMap((a) => a.roles.filter((r) => r.granted).map((r) => r.instanceKey)))

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    if (confirmed.current) {
      confirmed.current = false
      return
    }
    const data = new FormData(e.currentTarget)
    const ticked = new Set(data.getAll('instanceKeys'))
    if (![...initial].some((k) => !ticked.has(k))) return // nothing taken away: save at once
    e.preventDefault()
    setPreviewError(null)
    startPreview(async () => {
      const result = await previewGroupRolesAction(data)
      if (!result.ok) return setPreviewError(result.error)
      setImpact(result.data!)
      dialog.current?.showModal()
    })
  }

  function apply() {
    dialog.current?.close()
    confirmed.current = true
    form.current?.requestSubmit()
  }

  if (apps.length === 0) return <p className="text-sm text-slate-500">No app is deployed in {stageCode} yet, so there are no roles to grant.</p>

  return (
    <form ref={form} action={action} onSubmit={onSubmit} className="space-y-5">
      <input type="hidden" name="groupKey" value={groupKey} />
      <input type="hidden" name="version" value={version} />
      {apps.map((app) => (
        <fieldset key={app.appKey} className="rounded-md border border-slate-200 p-4 dark:border-slate-800">
          <legend className="px-1 text-sm font-semibold">{app.appName}</legend>
          {app.roles.length === 0 ? (
            <p className="text-sm text-slate-500">This app has no roles yet.</p>
          ) : (
            <div className="grid gap-2 sm:grid-cols-2">
              {app.roles.map((r) => (
                <label key={r.instanceKey} className="flex items-start gap-2 text-sm">
                  <input type="checkbox" name="instanceKeys" value={r.instanceKey} defaultChecked={r.granted} disabled={!canManage} className="mt-0.5" />
                  <span>
                    <span className="font-medium">{r.roleName}</span>
                    {r.description && <span className="block text-xs text-slate-500">{r.description}</span>}
                  </span>
                </label>
              ))}
            </div>
          )}
        </fieldset>
      ))}
      {fieldErrors(state, 'instanceKeys') && <Alert tone="error">{fieldErrors(state, 'instanceKeys')!.join(' ')}</Alert>}
      {previewError && <Alert tone="error">{previewError}</Alert>}
      <FormMessage state={state && !state.ok && !state.fieldErrors ? state : null} />
      {canManage ? (
        <Button type="submit" disabled={previewing}>
          {previewing ? 'Checking who is affected…' : 'Save roles'}
        </Button>
      ) : (
        <p className="text-sm text-slate-500">You can see this group’s roles but not change them.</p>
      )}
      <dialog ref={dialog} aria-labelledby="roles-impact-title" className="m-auto w-full max-w-lg rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
        <div className="space-y-4 p-6">
          <h2 id="roles-impact-title" className="text-lg font-semibold">
            Take these roles away?
          </h2>
          <div className="text-sm text-slate-600 dark:text-slate-300">
            {impact && <RoleLosses losses={impact.removed} usersLosingAccess={impact.usersLosingAccess} firstUsers={impact.firstUsers} />}
            <p className="mt-3">Users who hold a role directly or through another group keep it. The change applies on their next request.</p>
          </div>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={apply}>
              Save and remove roles
            </Button>
          </div>
        </div>
      </dialog>
    </form>
  )
}
