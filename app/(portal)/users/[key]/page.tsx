import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { ConfirmAction } from '@/components/forms/confirm-action'
import { Alert } from '@/components/ui/alert'
import { Badge, StatusBadge } from '@/components/ui/badge'
import { EffectiveAccess } from '@/components/access/effective-access'
import { AuditList } from '@/components/audit/audit-list'
import { PagerLink } from '@/components/data-table/pager-link'
import { TabNav } from '@/components/layout/tabs'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { inputClass } from '@/components/ui/field'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { getEndUserAccess } from '@/lib/access/end-user-access'
import { getUserAccess } from '@/lib/access/explain-access'
import { getGrantOptions } from '@/lib/access/grant-options'
import { listAuditEvents } from '@/lib/audit/list-audit-events'
import type { Ctx } from '@/lib/context'
import { getNavigation } from '@/lib/me/navigation'
import { getUser, type UserDetail } from '@/lib/users/get-user'
import { uuidSchema } from '@/lib/validation'
import { activateUserAction, deactivateUserAction, deleteUserAction, resendInvitationAction, revokeSessionsAction, unlockUserAction } from '../actions'
import { userNotices, type UserNotice } from '../notices'
import { EndUserGrid } from './end-user-grid'
import { GrantForm } from './grant-form'
import { GroupsTab } from './groups-tab'

export const metadata: Metadata = { title: 'User' }

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
const when = (d: Date | null) => (d ? `${fmt.format(d)} UTC` : 'Never')

type Search = { notice?: string; tab?: string; q?: string; after?: string; before?: string }

export default async function UserPage({ params, searchParams }: { params: Promise<{ key: string }>; searchParams: Promise<Search> }) {
  const { key } = await params
  if (!uuidSchema.safeParse(key).success) notFound()
  const { notice, tab: requested, q, after, before } = await searchParams
  const ctx = await requireMemberContext()
  const user = await loadPage(() => getUser(ctx, { userKey: key }))
  const nav = await getNavigation(ctx)
  const tabs = [
    { key: 'organization', label: 'Organization access' },
    ...(user.can.viewEndUserAccess ? [{ key: 'end-user', label: 'End-user access' }] : []),
    ...(nav.groups ? [{ key: 'groups', label: 'Groups' }] : []),
    { key: 'effective', label: 'Effective permissions' },
    ...(nav.audit ? [{ key: 'activity', label: 'Activity' }] : []),
  ]
  const tab = tabs.find((t) => t.key === requested)?.key ?? 'organization'
  const fields = { userKey: user.key }
  const who = user.name || user.email || 'this user'
  return (
    <>
      <PageHeader title={user.name || user.email || 'User'} description={user.email ?? 'No email address'} actions={<StatusBadge status={user.status} />} />
      {notice && notice in userNotices && (
        <div className="mb-6">
          <Alert tone="success">{userNotices[notice as UserNotice]}</Alert>
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Profile" className="lg:col-span-2">
          <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">Status</dt>
            <dd>
              <StatusBadge status={user.status} /> {user.lockedUntil && <Badge tone="red">Locked until {fmt.format(user.lockedUntil)} UTC</Badge>}
            </dd>
            <dt className="text-slate-500">Email verified</dt>
            <dd>{user.isEmailVerified ? 'Yes' : 'No'}</dd>
            <dt className="text-slate-500">Kind</dt>
            <dd className="flex gap-1">
              {user.isMember && <Badge tone="blue">Member</Badge>}
              {user.isEndUser && <Badge>End-user</Badge>}
              {!user.isMember && !user.isEndUser && 'No roles'}
            </dd>
            <dt className="text-slate-500">Last sign-in</dt>
            <dd>{when(user.lastLoginAt)}</dd>
            <dt className="text-slate-500">Created</dt>
            <dd>{when(user.createdAt)}</dd>
            <dt className="text-slate-500">Live sessions</dt>
            <dd>{user.liveSessions}</dd>
            {user.invitation && (
              <>
                <dt className="text-slate-500">Invitation</dt>
                <dd>{user.invitation.expired ? `Expired ${when(user.invitation.expiresAt)}` : `Valid until ${when(user.invitation.expiresAt)}`}</dd>
              </>
            )}
            <dt className="text-slate-500">Key</dt>
            <dd>
              <code className="text-xs">{user.key}</code>
            </dd>
          </dl>
        </Card>

        <Card title="Actions">
          {user.can.isSelf && <p className="mb-3 text-sm text-slate-500">This is you. Another administrator must change your status or role.</p>}
          <div className="flex flex-col items-start gap-3">
            {user.can.manageAccess && user.status === 'Invited' && (
              <ConfirmAction action={resendInvitationAction} fields={fields} label="Resend invitation" title="Send a new invitation?" description={`${user.email} gets a new code and link. The code in the earlier email stops working.`} confirmLabel="Send" />
            )}
            {user.can.manage && !user.can.isSelf && user.status === 'Active' && (
              <ConfirmAction action={deactivateUserAction} fields={fields} label="Deactivate" variant="danger" title={`Deactivate ${who}?`} description="They are signed out everywhere at once and cannot sign in until activated again. Their roles and data are kept." confirmLabel="Deactivate" />
            )}
            {user.can.manage && user.status === 'Inactive' && (
              <ConfirmAction action={activateUserAction} fields={fields} label="Activate" title={`Activate ${who}?`} description="They can sign in again with their existing roles." confirmLabel="Activate" />
            )}
            {user.can.manage && user.liveSessions > 0 && (
              <ConfirmAction action={revokeSessionsAction} fields={fields} label="Sign out everywhere" title={`End all sessions of ${who}?`} description={`${user.liveSessions} live session(s) end at their next request. They can sign in again.`} confirmLabel="End sessions" />
            )}
            {user.can.manage && (user.lockedUntil || user.failedAttempts > 0) && (
              <ConfirmAction action={unlockUserAction} fields={fields} label="Unlock" title="Clear failed sign-in attempts?" description={`The account has ${user.failedAttempts} consecutive failed attempt(s). Unlocking lets them try again at once.`} confirmLabel="Unlock" />
            )}
            {user.can.manage && !user.can.isSelf && (
              <ConfirmAction
                action={deleteUserAction}
                fields={fields}
                label="Delete user"
                variant="danger"
                title={`Delete ${who} permanently?`}
                description="Their roles, sessions, credentials and invitations are removed. This cannot be undone; the audit trail keeps a record of the deletion."
                confirmLabel="Delete permanently"
              />
            )}
            {!user.can.manage && !user.can.manageAccess && <p className="text-sm text-slate-500">You can view this user but not change them.</p>}
          </div>
        </Card>
      </div>

      <div className="mt-8">
        <TabNav label="User sections" current={tab} tabs={tabs.map((t) => ({ ...t, href: `/users/${user.key}?tab=${t.key}` }))} />
        {tab === 'organization' && <OrganizationAccess user={user} ctx={ctx} />}
        {tab === 'end-user' && <EndUserAccessTab userKey={user.key} ctx={ctx} q={q} after={after} />}
        {tab === 'groups' && <GroupsTab userKey={user.key} who={who} ctx={ctx} q={q} />}
        {tab === 'effective' && <EffectiveAccess access={await loadPage(() => getUserAccess(ctx, { userKey: user.key }))} subject="they" />}
        {tab === 'activity' && <Activity userKey={user.key} ctx={ctx} before={before} />}
      </div>
    </>
  )
}

const stateTone = { active: 'green', scheduled: 'amber', expired: 'slate' } as const

function periodText(g: { startsAt: Date | null; endsAt: Date | null }) {
  if (!g.startsAt && !g.endsAt) return 'No time limit'
  return [g.startsAt && `from ${when(g.startsAt)}`, g.endsAt && `until ${when(g.endsAt)}`].filter(Boolean).join(' ')
}

async function OrganizationAccess({ user, ctx }: { user: UserDetail; ctx: Ctx }) {
  const editable = user.can.manageAccess && !user.can.isSelf
  const options = editable ? await loadPage(() => getGrantOptions(ctx)) : null
  const granted = new Set(user.appRoles.map((r) => r.appKey))
  return (
    <div className="space-y-6">
      <Card title="Organization role" description="One role at organization scope applies to every app. Outside its period it confers nothing.">
        {options ? (
          <GrantForm userKey={user.key} roles={options.roles} current={user.organizationRole ? { roleKey: user.organizationRole.key, startsAt: user.organizationRole.startsAt, endsAt: user.organizationRole.endsAt } : undefined} />
        ) : (
          <p className="text-sm">{user.organizationRole ? user.organizationRole.name : 'No organization role'}</p>
        )}
        {user.organizationRole && (
          <p className="mt-2 flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
            <Badge tone={stateTone[user.organizationRole.state]}>{user.organizationRole.state}</Badge> {periodText(user.organizationRole)}
          </p>
        )}
        {user.can.isSelf && <p className="mt-2 text-sm text-slate-500">Another administrator must change your roles.</p>}
      </Card>
      <Card title="App roles" description="A role for one app adds permissions for that app on top of the organization role; it never removes any.">
        {user.appRoles.length === 0 && <p className="mb-4 text-sm text-slate-500">No roles for individual apps.</p>}
        <ul className="space-y-4">
          {user.appRoles.map((r) => (
            <li key={r.appKey} className="space-y-1 border-b border-slate-100 pb-4 dark:border-slate-800">
              {options ? (
                <GrantForm userKey={user.key} roles={options.roles} app={{ key: r.appKey, name: r.appName }} current={{ roleKey: r.roleKey, startsAt: r.startsAt, endsAt: r.endsAt }} />
              ) : (
                <p className="text-sm">
                  <span className="font-medium">{r.appName}</span>: {r.roleName}
                </p>
              )}
              <p className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
                <Badge tone={stateTone[r.state]}>{r.state}</Badge> {periodText(r)}
              </p>
            </li>
          ))}
        </ul>
        {options && (
          <div className="mt-2">
            <h3 className="mb-2 text-sm font-semibold">Add a role for an app</h3>
            {options.apps.length === 0 ? (
              <p className="text-sm text-slate-500">There are no apps yet.</p>
            ) : (
              <GrantForm userKey={user.key} roles={options.roles} appChoices={options.apps.filter((a) => !granted.has(a.key))} />
            )}
            {options.moreApps && <p className="mt-2 text-xs text-slate-500">Only the first 500 apps by name are listed.</p>}
          </div>
        )}
      </Card>
    </div>
  )
}

async function EndUserAccessTab({ userKey, ctx, q, after }: { userKey: string; ctx: Ctx; q?: string; after?: string }) {
  const access = await loadPage(() => getEndUserAccess(ctx, { userKey, q: q ?? '', after }))
  return (
    <Card title="End-user access" description="Application roles per app and stage. Roles granted by a group are marked with the group and are changed on the group.">
      <form className="mb-4 flex max-w-md gap-2" role="search">
        <input type="hidden" name="tab" value="end-user" />
        <label htmlFor="app-filter" className="sr-only">
          Filter apps by name
        </label>
        <input id="app-filter" name="q" defaultValue={q ?? ''} placeholder="Filter apps by name" className={inputClass} />
        <button type="submit" className={buttonClass('secondary')}>
          Filter
        </button>
      </form>
      {access.apps.length === 0 ? (
        <EmptyState title={q ? 'No app matches that name' : 'There are no apps yet'}>{q ? 'Try another name.' : 'End-user roles belong to apps. Create an app and its roles first.'}</EmptyState>
      ) : (
        <EndUserGrid key={`${q}-${after}`} access={access} />
      )}
      {(access.next || after) && (
        <div className="mt-4 flex gap-3 text-sm">
          {after && <PagerLink rel="prev" href={`/users/${userKey}?tab=end-user${q ? `&q=${encodeURIComponent(q)}` : ''}`}>First apps</PagerLink>}
          {access.next && <PagerLink rel="next" href={`/users/${userKey}?tab=end-user${q ? `&q=${encodeURIComponent(q)}` : ''}&after=${access.next}`}>More apps</PagerLink>}
        </div>
      )}
    </Card>
  )
}

async function Activity({ userKey, ctx, before }: { userKey: string; ctx: Ctx; before?: string }) {
  const page = await loadPage(() => listAuditEvents(ctx, { subject: userKey, before }))
  return (
    <Card title="Activity" description="Changes made to this user and by this user, newest first.">
      {page.rows.length === 0 ? <EmptyState title="No activity recorded" /> : <AuditList events={page.rows} />}
      {page.next && (
        <div className="mt-4 text-sm">
          <PagerLink rel="next" href={`/users/${userKey}?tab=activity&before=${page.next}`}>Older events</PagerLink>
        </div>
      )}
    </Card>
  )
}
