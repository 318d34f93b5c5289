import { describe, expect, it } from 'vitest'
import { alreadyRegisteredMail, invitationMail, passwordChangedMail, passwordResetCodeMail, registrationCodeMail, resetThroughPortalMail, type Mail } from './templates'

// MAIL-2: every message in plain text and HTML, with the organization's name; codes prominent and
// their expiry stated; nothing from the outside reaches the HTML unescaped.
const org = 'Acme <b>&</b> Sons'
const link = 'https://id.example.test/s/QA/verify?email=a%40b.test&x=1'
const code = '042917'

const messages: Array<[string, Mail, { code?: boolean; expiry?: RegExp }]> = [
  ['invitation', invitationMail({ org, to: 'a@b.test', inviter: 'Ada <admin>', link, code, expiresAt: new Date('2026-12-05T10:00:00Z') }), { code: true, expiry: /Sat, 05 Dec 2026 10:00:00 GMT/ }],
  ['sign-up code', registrationCodeMail({ org, stage: 'QA', to: 'a@b.test', name: 'Sam', link, code, validMinutes: 15 }), { code: true, expiry: /expires in 15 minutes/ }],
  ['already registered', alreadyRegisteredMail({ org, stage: 'QA', to: 'a@b.test', signInLink: link, resetLink: link }), {}],
  ['reset code', passwordResetCodeMail({ org, to: 'a@b.test', link, code, validMinutes: 60 }), { code: true, expiry: /expires in 1 hour\b/ }],
  ['reset on the portal', resetThroughPortalMail({ org, to: 'a@b.test', portalResetLink: link }), {}],
  ['password changed', passwordChangedMail({ org, to: 'a@b.test', at: new Date('2026-11-28T09:00:00Z'), resetLink: link, signedOut: 'everywhere' }), { expiry: undefined }],
]

describe('mail templates (MAIL-2)', () => {
  it.each(messages)('%s: text and HTML, with the organization, the link and any code', (_name, mail, expect_) => {
    expect(mail.subject).toContain(org)
    expect(mail.text).toContain(org)
    expect(mail.html).toContain('Acme &lt;b&gt;&amp;&lt;/b&gt; Sons')
    expect(mail.html).not.toContain('<b>&</b>')
    expect(mail.text).toContain(link)
    expect(mail.html).toContain(link.replace(/&/g, '&amp;'))
    if (expect_.code) {
      expect(mail.text).toContain(code)
      // Prominent: the code sits in a block of its own in the HTML.
      expect(mail.html).toMatch(new RegExp(`font-size:28px[^>]*>${code}<`))
    } else {
      expect(mail.text).not.toMatch(/\b\d{6}\b/)
    }
    if (expect_.expiry) {
      expect(mail.text).toMatch(expect_.expiry)
      expect(mail.html).toMatch(expect_.expiry)
    }
  })

  it('says when a password change signed everyone out, or everyone else', () => {
    const at = new Date('2026-11-28T09:00:00Z')
    expect(passwordChangedMail({ org, to: 'a@b.test', at, resetLink: link, signedOut: 'everywhere' }).text).toContain('Every session of the account was signed out.')
    expect(passwordChangedMail({ org, to: 'a@b.test', at, resetLink: link, signedOut: 'elsewhere' }).text).toContain('You were signed out everywhere else.')
  })
})
