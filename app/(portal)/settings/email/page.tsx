import type { Metadata } from 'next'
import { forbidden } from 'next/navigation'
import { ConfirmAction } from '@/components/forms/confirm-action'
import { EmailSettingsForm } from '@/components/settings/email-settings-form'
import { SendTestEmailForm } from '@/components/settings/send-test-email-form'
import { Alert } from '@/components/ui/alert'
import { Card } from '@/components/ui/card'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { getSettings } from '@/lib/settings/get-settings'
import { removeEmailSettingsAction, saveEmailSettingsAction, sendTestEmailAction } from '../actions'
import { first, SettingsFrame, type SettingsSearchParams } from '../settings-frame'

export const metadata: Metadata = { title: 'Settings · Email delivery' }

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

export default async function EmailSettingsPage({ searchParams }: { searchParams: SettingsSearchParams }) {
  const ctx = await requireMemberContext()
  const settings = await loadPage(() => getSettings(ctx))
  if (!settings.email) forbidden()
  const { delivery, saved, environment } = settings.email
  const actorLabel = ctx.actor?.label ?? ''
  const afterRemoval = environment ? `Mail will go through SMTP_URL (${environment.server}) again.` : 'No other server is configured: mail will stay in the development mailbox and the portal will show a banner.'
  return (
    <SettingsFrame settings={settings} current="email" notice={first((await searchParams).notice)}>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="SMTP server" description="Invitations, sign-up and reset codes and every other email leave through this server." className="lg:col-span-2">
          <div className="mb-4">
            {delivery === 'settings' && saved && (
              <Alert tone="success">
                Mail is delivered through {saved.host}:{saved.port}. Saved {fmt.format(saved.updatedAt)} UTC.
              </Alert>
            )}
            {delivery === 'environment' && environment && (
              <Alert tone="info">
                Mail is delivered through SMTP_URL from the server’s configuration ({environment.server}, sender {environment.from}). A server saved here takes its place.
              </Alert>
            )}
            {delivery === 'outbox' && <Alert tone="warning">No SMTP server is configured: mail stays in the development mailbox. Save a server here to start delivering.</Alert>}
          </div>
          <EmailSettingsForm saved={saved} defaults={{ fromName: settings.organization.name }} action={saveEmailSettingsAction} />
        </Card>
        <div className="space-y-6">
          <Card title="Test" description="Checks the server that delivers mail now, and shows its answer.">
            <SendTestEmailForm defaultTo={actorLabel.includes('@') ? actorLabel : ''} action={sendTestEmailAction} />
          </Card>
          {saved && (
            <Card title="Remove">
              <ConfirmAction
                action={removeEmailSettingsAction}
                fields={{}}
                label="Remove SMTP server"
                title={`Remove ${saved.host}?`}
                description={<p>The saved server and its password are deleted. {afterRemoval}</p>}
                confirmLabel="Remove SMTP server"
                variant="danger"
              />
            </Card>
          )}
        </div>
      </div>
    </SettingsFrame>
  )
}
