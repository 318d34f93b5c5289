'use client'

import { useId, useMemo, useRef, useState, useTransition } from 'react'
import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, useFormAction, type FormState } from '@/components/forms/use-form-action'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Field, inputClass, TextInput } from '@/components/ui/field'
import type { GrantedPermission } from '@/lib/authz/model'
import type { RoleImpact } from '@/lib/roles/impact'
import type { PermissionRegistry } from '@/lib/roles/permission-registry'
import { impliedBy, toSave, type EditorPermission, type Selection } from '@/lib/roles/selection'
import { ImpactList } from './impact-list'
import { PermissionPicker } from './permission-picker'

type PreviewResult = { ok: true; data?: RoleImpact } | { ok: false; error: string; fieldErrors?: Record<string, string[]> }

type Props = {
  registry: PermissionRegistry
  role?: { key: string; name: string; description: string; version: number; permissions: GrantedPermission[] }
  readOnly?: boolean
  saveAction?: (prev: FormState, formData: FormData) => Promise<FormState>
  /** Given when editing: asked before saving so that a loss of access is confirmed first. */
  previewAction?: (formData: FormData) => Promise<PreviewResult>
}

/** Create, edit or view an organization role (UI-5). */
export function RoleEditor({ registry, role, readOnly = false, saveAction, previewAction }: Props) {
  const [state, dispatch, saving] = useFormAction(saveAction ?? (async () => null))
  const [name, setName] = useState(role?.name ?? '')
  const [description, setDescription] = useState(role?.description ?? '')
  const [selection, setSelection] = useState<Selection>(() => new Map((role?.permissions ?? []).map((p) => [p.slug, p.stageKeys])))
  const [impact, setImpact] = useState<{ impact: RoleImpact; data: FormData } | null>(null)
  const [previewError, setPreviewError] = useState<string | null>(null)
  const [previewing, startPreview] = useTransition()
  const [, startSave] = useTransition()
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()

  const defs = useMemo(() => new Map<string, EditorPermission>(registry.categories.flatMap((c) => c.permissions.map((p) => [p.slug, p]))), [registry])
  const order = useMemo(() => registry.categories.flatMap((c) => c.permissions.map((p) => p.slug)), [registry])
  const implied = useMemo(() => impliedBy(selection, defs), [selection, defs])
  const saved = toSave(selection, defs, order)
  const incomplete = saved.some((g) => g.stageKeys !== null && g.stageKeys.length === 0)

  const change = (slug: string, value: string[] | null | undefined) =>
    setSelection((prev) => {
      const next = new Map(prev)
      if (value === undefined) next.delete(slug)
      else next.set(slug, value)
      return next
    })

  const submit = async (data: FormData) => {
    setPreviewError(null)
    if (!previewAction) return dispatch(data)
    startPreview(async () => {
      const result = await previewAction(data)
      if (!result.ok) return setPreviewError(result.error)
      if (result.data && result.data.usersLosingAccess > 0) {
        setImpact({ impact: result.data, data })
        dialog.current?.showModal()
        return
      }
      startSave(() => dispatch(data))
    })
  }

  const confirm = () => {
    if (!impact) return
    dialog.current?.close()
    startSave(() => dispatch(impact.data))
  }

  // Errors about one grant come back as "permissions.3.stageKeys"; they are shown together.
  const permissionErrors = state && !state.ok ? Object.entries(state.fieldErrors ?? {}).flatMap(([k, v]) => (k === 'permissions' || k.startsWith('permissions.') ? v : [])) : []
  return (
    <form action={submit} className="space-y-6" aria-busy={previewing}>
      {role && <input type="hidden" name="roleKey" value={role.key} />}
      {role && <input type="hidden" name="version" value={role.version} />}
      <input type="hidden" name="permissions" value={JSON.stringify(saved)} />
      {!readOnly && (
        <div className="grid max-w-2xl gap-4">
          <Field label="Name" name="name" errors={fieldErrors(state, 'name')}>
            <TextInput name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required errors={fieldErrors(state, 'name')} />
          </Field>
          <Field label="Description" name="description" errors={fieldErrors(state, 'description')}>
            <textarea id="description" name="description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} rows={2} className={inputClass} />
          </Field>
        </div>
      )}
      <div>
        <h3 className="text-sm font-semibold">Permissions</h3>
        <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">
          Choosing a permission includes the ones it implies. <strong>App</strong> marks permissions that also work when the role is given for a single app; the others only work at organization scope.
        </p>
        {permissionErrors.length > 0 && (
          <div className="mb-3">
            <Alert tone="error">{permissionErrors.join(' ')}</Alert>
          </div>
        )}
        {readOnly && saved.length === 0 && <p className="text-sm text-slate-500">This role grants no permissions.</p>}
        <PermissionPicker registry={registry} selection={selection} implied={implied} readOnly={readOnly} onChange={change} />
      </div>
      {!readOnly && (
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={saving || previewing || incomplete} aria-disabled={saving || previewing || incomplete}>
            {saving ? 'Saving…' : role ? 'Save changes' : 'Create role'}
          </Button>
          {previewing && <span className="text-sm text-slate-500">Checking who is affected…</span>}
          {incomplete && <span className="text-sm text-red-600">Choose at least one stage for each stage-limited permission.</span>}
        </div>
      )}
      {previewError && <Alert tone="error">{previewError}</Alert>}
      <FormMessage state={state} />
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-lg rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100">
        <div className="space-y-4 p-6">
          <h2 id={titleId} className="text-lg font-semibold">
            Save and remove access?
          </h2>
          {impact && (
            <div className="space-y-2 text-sm text-slate-600 dark:text-slate-300">
              <p>
                {impact.impact.usersLosingAccess.toLocaleString('en')} {impact.impact.usersLosingAccess === 1 ? 'user holds' : 'users hold'} this role in a way that loses access, from their next request:
              </p>
              <ImpactList impact={impact.impact} />
            </div>
          )}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={confirm}>
              Save and remove access
            </Button>
          </div>
        </div>
      </dialog>
    </form>
  )
}
