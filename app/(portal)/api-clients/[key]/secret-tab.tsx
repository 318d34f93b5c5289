import { RotateSecretForm } from '@/components/api-clients/rotate-secret-form'
import { Card } from '@/components/ui/card'
import type { ApiClientDetail } from '@/lib/api-clients/get-api-client'
import { rotateApiClientSecretAction } from '../actions'

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

/** Secret: when the current one expires and whether a reminder goes out; generate a new one (APIC-6). */
export function SecretTab({ client }: { client: ApiClientDetail }) {
  const s = client.secret
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card title="Current secret">
        {s ? (
          <dl className="grid grid-cols-[7rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">Expires</dt>
            <dd>{fmt.format(s.expiresAt)} UTC</dd>
            <dt className="text-slate-500">Reminder</dt>
            <dd>{!s.remind ? 'None' : s.remindedAt ? `Sent ${fmt.format(s.remindedAt)} UTC` : '14 days before expiry'}</dd>
            <dt className="text-slate-500">Generated</dt>
            <dd>{fmt.format(s.createdAt)} UTC</dd>
          </dl>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-300">No secret works any more: generate a new one to use the client again.</p>
        )}
        {client.retiring.length > 0 && (
          <div className="mt-4 text-sm">
            <p className="font-medium">Previous secret still working</p>
            <ul className="mt-1 list-disc pl-5 text-slate-600 dark:text-slate-300">
              {client.retiring.map((r) => (
                <li key={r.createdAt.toISOString()}>Until {fmt.format(r.retiresAt)} UTC (the rotation&apos;s overlap)</li>
              ))}
            </ul>
          </div>
        )}
        <p className="mt-4 text-xs text-slate-500">The secret itself is never shown again after it is generated; Gatehouse keeps only a hash.</p>
      </Card>
      <Card title="Generate a new secret" description="The client id stays the same; the new secret gets its own expiry date and reminder." className="lg:col-span-2">
        <RotateSecretForm clientKey={client.key} expiry={client.expiry} hasLiveSecret={s !== null} action={rotateApiClientSecretAction} />
      </Card>
    </div>
  )
}
