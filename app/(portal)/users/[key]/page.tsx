import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { ConfirmAction } from '@/components/forms/confirm-action'
import { Alert } from '@/components/ui/alert'
import { Badge, StatusBadge } from '@/components/ui/badge'
import { Card, PageHeader } from '@/components/ui/card'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { listRoleOptions } from '@/lib/roles/list-role-options'
import { getUser } from '@/lib/users/get-user'
import { uuidSchema } from '@/lib/validation'
import { activateUserAction, deactivateUserAction, deleteUserAction, resendInvitationAction, revokeSessionsAction, unlockUserAction } from '../actions'
import { userNotices, type UserNotice } from '../notices'
import { OrganizationRoleForm } from './organization-role-form'

export const metadata: Metadata = { title: 'User' }

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
const when = (d: Date | null) => (d ? `${fmt.format(d)} UTC` : 'Never')

export default async function UserPage({ params, searchParams }: { params: Promise<{ key: string }>; searchParams: Promise<{ notice?: string }> }) {
  const { key } = await params
  if (!uuidSchema.safeParse(key).success) notFound()
  const { notice } = await searchParams
  const ctx = await requireMemberContext()
  const user = await loadPage(() => getUser(ctx, { userKey: key }))
  const roles = user.can.manageAccess ? await loadPage(() => listRoleOptions(ctx)) : []
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

      <Card title="Organization access" description="One role at organization scope applies to every app and stage." className="mt-6">
        {user.can.manageAccess && !user.can.isSelf ? (
          <OrganizationRoleForm userKey={user.key} roles={roles} current={user.organizationRole?.key ?? ''} />
        ) : (
          <p className="text-sm">{user.organizationRole ? user.organizationRole.name : 'No organization role'}</p>
        )}
        {user.organizationRole && user.organizationRole.state !== 'active' && (
          <p className="mt-2 text-sm text-amber-700">This grant is {user.organizationRole.state} and confers nothing right now.</p>
        )}
        {user.appRoles.length > 0 && (
          <ul className="mt-4 space-y-1 text-sm">
            {user.appRoles.map((r) => (
              <li key={r.appKey}>
                {r.appName}: {r.roleName} <Badge>{r.state}</Badge>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  )
}
