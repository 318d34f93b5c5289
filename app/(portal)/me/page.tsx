import type { Metadata } from 'next'
import { ChangePasswordForm } from '@/components/forms/change-password-form'
import { ConfirmAction } from '@/components/forms/confirm-action'
import { Badge } from '@/components/ui/badge'
import { EffectiveAccess } from '@/components/access/effective-access'
import { Card, PageHeader } from '@/components/ui/card'
import { getMyAccess } from '@/lib/access/explain-access'
import type { PasswordPolicyMode } from '@/lib/auth/password-policy'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { getOrganization } from '@/lib/setup/organization'
import { listMySessions } from '@/lib/users/sessions'
import { changePasswordAction, revokeOtherSessionsAction, revokeSessionAction } from './actions'

export const metadata: Metadata = { title: 'My access' }

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
const stateTone = { active: 'green', scheduled: 'amber', expired: 'slate' } as const

export default async function MePage() {
  const ctx = await requireMemberContext()
  const [access, sessions, org] = await loadPage(() => Promise.all([getMyAccess(ctx), listMySessions(ctx), getOrganization()]))
  return (
    <>
      <PageHeader title="My access" description={`Signed in as ${access.label}. What you can do, where, and why.`} />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Organization role">
          {access.organizationRole ? (
            <p className="flex items-center gap-2">
              <span className="font-medium">{access.organizationRole.name}</span>
              <Badge tone={stateTone[access.organizationRole.state]}>{access.organizationRole.state}</Badge>
            </p>
          ) : (
            <p className="text-sm text-slate-500">No organization role.</p>
          )}
        </Card>
        <Card title="App roles" className="lg:col-span-2">
          {access.appRoles.length ? (
            <ul className="space-y-1 text-sm">
              {access.appRoles.map((r) => (
                <li key={`${r.appName}-${r.roleName}`}>
                  <span className="font-medium">{r.appName}</span>: {r.roleName} <Badge tone={stateTone[r.state]}>{r.state}</Badge>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-500">No roles for individual apps.</p>
          )}
        </Card>
      </div>

      <div className="mt-6">
        <EffectiveAccess access={access} subject="you" />
      </div>

      <Card
        title="Sessions"
        description="Where you are signed in to the portal. Sessions end 12 hours after sign-in."
        className="mt-6"
        actions={
          sessions.length > 1 ? (
            <ConfirmAction action={revokeOtherSessionsAction} fields={{}} label="Sign out all other sessions" title="Sign out all other sessions?" description="Every other browser signed in to your account will be signed out at its next request. This browser stays signed in." confirmLabel="Sign out others" />
          ) : undefined
        }
      >
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {sessions.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
              <div>
                <p className="font-medium">
                  {s.userAgent ?? 'Unknown browser'} {s.current && <Badge tone="blue">This session</Badge>}
                </p>
                <p className="text-xs text-slate-500">
                  {s.ip ?? 'unknown address'} · signed in {fmt.format(s.createdAt)} UTC · last active {fmt.format(s.lastSeenAt)} UTC · ends {fmt.format(s.expiresAt)} UTC
                </p>
              </div>
              <ConfirmAction
                action={revokeSessionAction}
                fields={{ id: s.id }}
                label={s.current ? 'Sign out' : 'Sign out this session'}
                title={s.current ? 'Sign out of this browser?' : 'Sign out this session?'}
                description={s.current ? 'You will be taken to the sign-in page.' : 'That browser will be signed out at its next request.'}
                confirmLabel="Sign out"
              />
            </li>
          ))}
        </ul>
      </Card>

      <Card title="Change password" description="Your password for the portal and for every app's sign-in page. Changing it signs you out everywhere else; this browser stays signed in." className="mt-6">
        <div className="max-w-md">
          <ChangePasswordForm action={changePasswordAction} mode={(org?.passwordPolicy ?? 'odc') as PasswordPolicyMode} username={access.label} />
        </div>
      </Card>
    </>
  )
}
