import type { Metadata } from 'next'
import Link from 'next/link'
import { Alert } from '@/components/ui/alert'
import { buttonClass } from '@/components/ui/button'
import { Card, PageHeader } from '@/components/ui/card'
import { inputClass } from '@/components/ui/field'
import { checkAccess, getCheckOptions, type AccessCheck } from '@/lib/access/check-access'
import { runAction } from '@/lib/actions'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'

export const metadata: Metadata = { title: 'Check access' }

type Search = { user?: string; permission?: string; appRoleKey?: string; appKey?: string; stageKey?: string }

/**
 * Check access (AUTHZ-3): a question in the URL (shareable), answered by the same evaluator the
 * use cases use. A GET form: checking changes nothing.
 */
export default async function CheckAccessPage({ searchParams }: { searchParams: Promise<Search> }) {
  const q = await searchParams
  const ctx = await requireMemberContext()
  const options = await loadPage(() => getCheckOptions(ctx))
  const asked = Boolean(q.user)
  const result = asked
    ? await runAction<AccessCheck>(() =>
        checkAccess(ctx, { user: q.user ?? '', permission: q.permission ?? '', appRoleKey: q.appRoleKey ?? '', appKey: q.appKey ?? '', stageKey: q.stageKey ?? '' }),
      )
    : null
  const errors = (name: string) => (result && !result.ok ? result.fieldErrors?.[name] : undefined)
  const errorFor = (name: string) =>
    errors(name)?.length ? (
      <p id={`${name}-error`} className="text-sm text-red-600 dark:text-red-400">
        {errors(name)!.join(' ')}
      </p>
    ) : null
  const described = (name: string) => (errors(name)?.length ? `${name}-error` : undefined)
  return (
    <>
      <PageHeader title="Check access" description="Ask whether a user may use a permission, or holds an end-user role, and see why." />
      <Card>
        <form className="grid gap-4 md:grid-cols-2" aria-label="Access question">
          <div className="space-y-1 md:col-span-2">
            <label htmlFor="user" className="block text-sm font-medium">
              User (email address)
            </label>
            <input id="user" name="user" type="text" inputMode="email" autoComplete="off" required defaultValue={q.user ?? ''} className={inputClass} aria-describedby={described('user')} aria-invalid={errors('user') ? true : undefined} />
            {errorFor('user')}
          </div>
          <div className="space-y-1">
            <label htmlFor="permission" className="block text-sm font-medium">
              Permission
            </label>
            <select id="permission" name="permission" defaultValue={q.permission ?? ''} className={inputClass} aria-describedby={described('permission')}>
              <option value="">— or choose an end-user role —</option>
              {options.permissions.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {p.label}
                </option>
              ))}
            </select>
            {errorFor('permission')}
          </div>
          <div className="space-y-1">
            <label htmlFor="appRoleKey" className="block text-sm font-medium">
              End-user role
            </label>
            <select id="appRoleKey" name="appRoleKey" defaultValue={q.appRoleKey ?? ''} className={inputClass} aria-describedby={described('appRoleKey')}>
              <option value="">— or choose a permission —</option>
              {options.appRoles.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.label}
                </option>
              ))}
            </select>
            {errorFor('appRoleKey')}
          </div>
          <div className="space-y-1">
            <label htmlFor="appKey" className="block text-sm font-medium">
              App (for a permission; optional)
            </label>
            <select id="appKey" name="appKey" defaultValue={q.appKey ?? ''} className={inputClass} aria-describedby={described('appKey')}>
              <option value="">Any app (organization scope)</option>
              {options.apps.map((a) => (
                <option key={a.key} value={a.key}>
                  {a.name}
                </option>
              ))}
            </select>
            {errorFor('appKey')}
          </div>
          <div className="space-y-1">
            <label htmlFor="stageKey" className="block text-sm font-medium">
              Stage
            </label>
            <select id="stageKey" name="stageKey" defaultValue={q.stageKey ?? ''} className={inputClass} aria-describedby={described('stageKey')}>
              <option value="">No particular stage</option>
              {options.stages.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.name} ({s.code})
                </option>
              ))}
            </select>
            {errorFor('stageKey')}
          </div>
          <div className="md:col-span-2">
            <button type="submit" className={buttonClass('primary')}>
              Check
            </button>
          </div>
        </form>
      </Card>
      {result && (
        <section aria-live="polite" aria-label="Answer" className="mt-6">
          {result.ok ? (
            <Card>
              <p className="text-sm text-slate-500">{result.data!.question}</p>
              <p className={`mt-2 text-xl font-semibold ${result.data!.allowed ? 'text-emerald-700 dark:text-emerald-300' : 'text-red-700 dark:text-red-300'}`}>{result.data!.allowed ? 'Allowed' : 'Denied'}</p>
              <p className="mt-2 text-sm">{result.data!.reason}</p>
              {result.data!.details.length > 0 && (
                <>
                  <h2 className="mt-4 text-sm font-semibold">{result.data!.allowed ? 'Granted by' : 'Came close'}</h2>
                  <ul className="mt-1 list-disc space-y-1 pl-5 text-sm">
                    {result.data!.details.map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                  </ul>
                </>
              )}
              <p className="mt-4 text-sm">
                <Link href={`/users/${result.data!.user.key}?tab=effective`} className="underline">
                  Everything {result.data!.user.label} can do
                </Link>
              </p>
            </Card>
          ) : (
            <Alert tone="error">{result.error}</Alert>
          )}
        </section>
      )}
    </>
  )
}
