import type { Metadata } from 'next'
import { forbidden } from 'next/navigation'
import { InternalDomainsForm } from '@/components/settings/internal-domains-form'
import { Badge } from '@/components/ui/badge'
import { Card } from '@/components/ui/card'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { getSettings } from '@/lib/settings/get-settings'
import { updateInternalDomainsAction } from '../actions'
import { first, SettingsFrame, type SettingsSearchParams } from '../settings-frame'

export const metadata: Metadata = { title: 'Settings · Internal user domains' }

export default async function InternalDomainsPage({ searchParams }: { searchParams: SettingsSearchParams }) {
  const ctx = await requireMemberContext()
  const settings = await loadPage(() => getSettings(ctx))
  if (!settings.internalDomains) forbidden()
  const domains = settings.internalDomains
  const editable = settings.access.manageInternalDomains
  return (
    <SettingsFrame settings={settings} current="internal-domains" notice={first((await searchParams).notice)}>
      <Card title="Internal user domains" actions={editable ? undefined : <Badge>Read only</Badge>}>
        <div className="mb-4 max-w-2xl space-y-2 text-sm text-slate-600 dark:text-slate-300">
          <p>
            An end-user whose email address is in one of these domains counts as <strong>internal</strong>; any other address counts as <strong>external</strong>. Someone without an email
            address is internal. With no domain listed, everyone is internal.
          </p>
          <p>Saving classifies every existing user again at once; the dashboard counts and the users filter follow immediately.</p>
        </div>
        {editable ? (
          <InternalDomainsForm domains={domains} action={updateInternalDomainsAction} />
        ) : domains.length ? (
          <ul aria-label="Internal user domains" className="max-w-xl divide-y divide-slate-200 rounded-md border border-slate-200 font-mono text-sm dark:divide-slate-800 dark:border-slate-800">
            {domains.map((d) => (
              <li key={d} className="px-3 py-2">
                {d}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">No domains: every end-user counts as internal.</p>
        )}
      </Card>
    </SettingsFrame>
  )
}
