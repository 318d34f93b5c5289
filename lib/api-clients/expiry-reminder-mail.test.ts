import { describe, expect, it } from 'vitest'
import { apiClientExpiryReminderMail } from '@/lib/mail/templates'

// MAIL-2 for the expiry reminder: text and HTML, the organization named, outside text escaped.
describe('the API client expiry reminder email', () => {
  const org = 'Acme <b>&</b> Sons'
  const client = { name: 'Sync <script>', clientId: '0123456789abcdef0123456789abcdef', expiresAt: new Date('2026-06-10T23:59:59.999Z'), link: 'https://id.example.test/api-clients/k?tab=secret&x=1' }

  it('names the client, its id, when its secret stops and where to rotate it', () => {
    const mail = apiClientExpiryReminderMail({ org, to: 'ada@example.test', clients: [client] })
    expect(mail).toMatchObject({ template: 'api-client-expiry-reminder', to: 'ada@example.test', subject: `${org}: the secret of API client Sync <script> expires soon` })
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain(client.clientId)
      expect(body).toContain('Wed, 10 Jun 2026 23:59:59 GMT')
    }
    expect(mail.text).toContain(client.link)
    expect(mail.html).toContain(client.link.replace(/&/g, '&amp;'))
    expect(mail.html).toContain('Acme &lt;b&gt;&amp;&lt;/b&gt; Sons')
    expect(mail.html).toContain('Sync &lt;script&gt;')
    expect(mail.html).not.toContain('<script>')
  })

  it('lists several clients in one message', () => {
    const mail = apiClientExpiryReminderMail({ org: 'Acme', to: 'ada@example.test', clients: [client, { ...client, name: 'Second' }] })
    expect(mail.subject).toBe('Acme: the secrets of 2 API clients expire soon')
    expect(mail.text).toContain('Second')
  })
})
