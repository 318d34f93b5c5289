import type { Metadata } from 'next'
import { Badge } from '@/components/ui/badge'
import { Card } from '@/components/ui/card'
import { ApiLimitsForm } from '@/components/settings/api-limits-form'
import { OrganizationNameForm } from '@/components/settings/organization-name-form'
import { PasswordPolicyForm } from '@/components/settings/password-policy-form'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { getSettings } from '@/lib/settings/get-settings'
import { updateApiLimitsAction, updateOrganizationNameAction, updatePasswordPolicyAction } from '../actions'
import { first, SettingsFrame, type SettingsSearchParams } from '../settings-frame'

export const metadata: Metadata = { title: 'Settings · Organization' }

export default async function OrganizationSettingsPage({ searchParams }: { searchParams: SettingsSearchParams }) {
  const ctx = await requireMemberContext()
  const settings = await loadPage(() => getSettings(ctx))
  const { organization, access } = settings
  return (
    <SettingsFrame settings={settings} current="organization" notice={first((await searchParams).notice)}>
      <div className="grid gap-6">
        <Card title="Organization" actions={access.renameOrganization ? undefined : <Badge>Read only</Badge>}>
          {access.renameOrganization ? (
            <OrganizationNameForm name={organization.name} action={updateOrganizationNameAction} />
          ) : (
            <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
              <dt className="text-slate-500">Name</dt>
              <dd>{organization.name}</dd>
            </dl>
          )}
        </Card>
        <Card
          title="Password rule"
          description="What every password must satisfy when it is set: members on the portal and end-users on the hosted pages alike."
          actions={access.manageAuthentication ? undefined : <Badge>Read only</Badge>}
        >
          <PasswordPolicyForm mode={organization.passwordPolicy} action={updatePasswordPolicyAction} editable={access.manageAuthentication} />
        </Card>
        <Card
          title="API limits"
          description="How much API clients may do: requests a minute for each API, bulk user creations a minute, and how many API clients the organization may have."
          actions={access.renameOrganization ? undefined : <Badge>Read only</Badge>}
        >
          <ApiLimitsForm limits={organization.apiLimits} apiClients={organization.apiLimits.apiClients} action={updateApiLimitsAction} editable={access.renameOrganization} />
        </Card>
      </div>
    </SettingsFrame>
  )
}
