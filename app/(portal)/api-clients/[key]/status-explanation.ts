import type { ApiClientDetail } from '@/lib/api-clients/get-api-client'

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

/** Why the client has its status, in a sentence (APIC-7). */
export function statusExplanation(client: Pick<ApiClientDetail, 'status' | 'secret' | 'permissions' | 'suspendedAt'>): string {
  const expiry = client.secret ? `The secret works until ${fmt.format(client.secret.expiresAt)} UTC.` : ''
  switch (client.status) {
    case 'Suspended':
      return `Suspended on ${fmt.format(client.suspendedAt!)} UTC: its secret and tokens are refused until it is resumed.`
    case 'Expired':
      return 'No secret works any more. Generate a new secret on the Secret tab to use the client again.'
    case 'Needs attention':
      return client.permissions.length === 0 ? `It holds no permissions, so it can call nothing. ${expiry}` : `${expiry} Generate a new secret before then.`
    default:
      return `Available. ${expiry}`
  }
}
