import { describe, expect, it } from 'vitest'
import { describeSmtpError, smtpOptions } from './transport'

describe('SMTP transport options', () => {
  it('requires STARTTLS when asked for it, so it cannot be stripped; TLS from the start; none never upgrades', () => {
    expect(smtpOptions({ host: 'smtp.example.com', port: 587, security: 'starttls', username: 'u' }, 'p')).toMatchObject({ secure: false, requireTLS: true, ignoreTLS: false, auth: { user: 'u', pass: 'p' } })
    expect(smtpOptions({ host: 'smtp.example.com', port: 465, security: 'tls', username: null }, null)).toMatchObject({ secure: true, requireTLS: false, auth: undefined })
    expect(smtpOptions({ host: 'localhost', port: 1025, security: 'none', username: null }, null)).toMatchObject({ secure: false, ignoreTLS: true })
  })

  it('keeps the server’s words but blots out the password in every form it could be echoed in', () => {
    const secret = 'S3cr€t pass'
    const error = new Error(`Invalid login: 535 bad credentials ${secret} / ${Buffer.from(secret).toString('base64')} / ${encodeURIComponent(secret)}`)
    const text = describeSmtpError(error, [secret])
    expect(text).toBe('Invalid login: 535 bad credentials [redacted] / [redacted] / [redacted]')
    expect(describeSmtpError('x'.repeat(600), [])).toHaveLength(500)
    expect(describeSmtpError(new Error(''), [])).toBe('The SMTP server did not accept the message.')
  })
})
