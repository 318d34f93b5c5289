import type { Metadata } from 'next'
import Link from 'next/link'
import { redirect } from 'next/navigation'
import { ChangePasswordForm } from '@/components/forms/change-password-form'
import { ConfirmAction } from '@/components/forms/confirm-action'
import { NoticeAlert } from '@/components/ui/alert'
import { Badge, StatusBadge } from '@/components/ui/badge'
import { Card, EmptyState } from '@/components/ui/card'
import { SubmitButton } from '@/components/ui/submit-button'
import { UnauthenticatedError } from '@/lib/errors'
import { getStageAccount } from '@/lib/hosted/account'
import { getStageRequestContext, type StageCtx } from '@/lib/hosted/request'
import type { HostedStage } from '@/lib/hosted/stage'
import { signOutOfStageAction } from '../actions'
import { linkClass } from '../hosted-card'
import { hostedStageOf, stagePath } from '../hosted-stage'
import { changePasswordAction, revokeOtherSessionsAction, revokeSessionAction, updateProfileAction } from './actions'
import { describeDevice, duration } from './format'
import { accountNotices } from './notices'
import { ProfileForm } from './profile-form'

export const metadata: Metadata = { title: 'Your account' }

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

async function loadAccount(stage: HostedStage, ctx: StageCtx) {
  try {
    return await getStageAccount(ctx, { stageKey: stage.key })
  } catch (error) {
    if (error instanceof UnauthenticatedError) redirect(stagePath(stage, 'sign-in'))
    throw error
  }
}

// HOST-1: the end-user's own account on a stage: profile, the apps and roles they hold here and
// why, password, their sessions in this stage, sign out. Signed-out visitors go to the sign-in page.
export default async function StageAccountPage({ params, searchParams }: { params: Promise<{ stage: string }>; searchParams: Promise<{ notice?: string }> }) {
  const stage = await hostedStageOf(params)
  const ctx = await getStageRequestContext(stage)
  if (!ctx.actor) redirect(stagePath(stage, 'sign-in'))
  const account = await loadAccount(stage, ctx)
  const { notice } = await searchParams
  const { profile } = account
  const others = account.sessions.filter((s) => !s.current).length
  return (
    <div className="space-y-6">
      <header className="flex items-center gap-4">
        {profile.photoUrl ? (
          // An address the user typed: next/image would need every host configured in advance.
          // eslint-disable-next-line @next/next/no-img-element
          <img src={profile.photoUrl} alt="" referrerPolicy="no-referrer" className="h-14 w-14 shrink-0 rounded-full bg-slate-200 object-cover dark:bg-slate-800" />
        ) : (
          <span aria-hidden className="flex h-14 w-14 shrink-0 items-center justify-center rounded-full bg-brand-100 text-lg font-semibold text-brand-800 dark:bg-brand-800/40 dark:text-brand-100">
            {(profile.name || profile.email || '?').slice(0, 1).toUpperCase()}
          </span>
        )}
        <div className="min-w-0">
          <h1 className="truncate text-xl font-semibold">{profile.name || 'Your account'}</h1>
          <p className="truncate text-sm text-slate-500 dark:text-slate-400">{profile.email}</p>
        </div>
      </header>

      <Card title="Profile">
        <dl className="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-slate-500 dark:text-slate-400">Email</dt>
          <dd className="flex min-w-0 flex-wrap items-center gap-2">
            <span className="break-all">{profile.email ?? 'None'}</span>
            {profile.isEmailVerified ? <Badge tone="green">Verified</Badge> : <Badge tone="amber">Not verified</Badge>}
          </dd>
          <dt className="text-slate-500 dark:text-slate-400">Status</dt>
          <dd>
            <StatusBadge status={profile.status} />
          </dd>
        </dl>
        <ProfileForm action={updateProfileAction.bind(null, stage.code)} name={profile.name} photoUrl={profile.photoUrl} />
      </Card>

      <Card title="My apps and roles" description={`The roles you hold in the apps of ${account.stage.name}, and how you got them.`}>
        {account.apps.length === 0 ? (
          <EmptyState title="No roles here yet">You hold no roles in the apps of {account.stage.name}. Whoever manages access to an app can give you one.</EmptyState>
        ) : (
          <ul className="space-y-4">
            {account.apps.map((app) => (
              <li key={app.appKey}>
                <h3 className="font-medium">{app.appName}</h3>
                <ul className="mt-1 space-y-1 text-sm">
                  {app.roles.map((role) => (
                    <li key={role.roleName}>
                      <span className="font-medium">{role.roleName}</span> <span className="text-slate-600 dark:text-slate-300">· {role.sources.join(' and ')}</span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title="Change password" description={account.isMember || !account.hasPassword ? undefined : 'Changing it signs you out everywhere else; you stay signed in here.'}>
        {account.isMember ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Your account is also a member account of the {stage.organization} portal, with one password for both. Change it on the portal, under{' '}
            <Link href="/me" className={linkClass}>
              My access
            </Link>
            .
          </p>
        ) : !account.hasPassword ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">You sign in through an identity provider: there is no password to change here.</p>
        ) : (
          <ChangePasswordForm action={changePasswordAction.bind(null, stage.code)} mode={account.passwordPolicy} username={profile.email} />
        )}
      </Card>

      <div id="sessions" className="scroll-mt-4">
        <Card
          title="Sessions"
          description={`Where you are signed in to ${account.stage.name}. A session ends after ${duration(stage.sessionIdleMinutes)} without activity, and ${duration(stage.sessionMaxMinutes)} after sign-in at most.`}
        >
          <NoticeAlert notices={accountNotices} notice={typeof notice === 'string' ? notice : undefined} />
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {account.sessions.map((s) => (
              <li key={s.id} className="space-y-2 py-3 text-sm">
                <div>
                  <p className="font-medium">
                    {describeDevice(s.userAgent)} {s.current && <Badge tone="blue">This device</Badge>}
                  </p>
                  <p className="text-xs text-slate-500">
                    {s.ip ?? 'unknown address'} · signed in {fmt.format(s.createdAt)} UTC · last active {fmt.format(s.lastSeenAt)} UTC
                  </p>
                </div>
                <ConfirmAction
                  action={revokeSessionAction.bind(null, stage.code)}
                  fields={{ sessionId: s.id }}
                  label={s.current ? 'Sign out here' : 'Sign out this session'}
                  title={s.current ? 'Sign out on this device?' : 'Sign out this session?'}
                  description={s.current ? 'You will be taken to the sign-in page.' : 'That browser or device is signed out at its next request.'}
                  confirmLabel="Sign out"
                />
              </li>
            ))}
          </ul>
          {others > 0 && (
            <div className="mt-4 border-t border-slate-100 pt-4 dark:border-slate-800">
              <ConfirmAction
                action={revokeOtherSessionsAction.bind(null, stage.code)}
                fields={{}}
                label={others === 1 ? 'Sign out the other session' : `Sign out the ${others} other sessions`}
                title="Sign out every other session?"
                description={`Every other browser or device signed in to ${account.stage.name} with your account is signed out at its next request. This one stays signed in.`}
                confirmLabel="Sign out others"
              />
            </div>
          )}
        </Card>
      </div>

      <Card title="Sign out" description={`Sign out of ${account.stage.name} on this device.`}>
        <form action={signOutOfStageAction.bind(null, stage.code)}>
          <SubmitButton variant="secondary" pendingLabel="Signing out…" className="w-full sm:w-auto">
            Sign out
          </SubmitButton>
        </form>
      </Card>
    </div>
  )
}
