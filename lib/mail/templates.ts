// Every message Gatehouse sends, in one place (MAIL-2): plain text and HTML, with the organization's name.

export type Mail = { template: string; to: string; subject: string; text: string; html: string }

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

function layout(org: string, body: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111;max-width:560px;margin:0 auto;padding:24px">
<p style="font-weight:600;color:#4338ca">${escape(org)}</p>${body}
<p style="color:#666;font-size:12px;margin-top:32px">Sent by Gatehouse for ${escape(org)}. If you did not expect this message, you can ignore it.</p></body></html>`
}

const codeBlock = (code: string) =>
  `<p style="font-size:28px;letter-spacing:6px;font-weight:700;font-family:ui-monospace,monospace;background:#f3f4f6;padding:12px 16px;display:inline-block">${code}</p>`

export function invitationMail(p: { org: string; to: string; inviter: string; link: string; code: string; expiresAt: Date }): Mail {
  const until = p.expiresAt.toUTCString()
  return {
    template: 'invitation',
    to: p.to,
    subject: `You are invited to ${p.org}`,
    text: `${p.inviter} invited you to ${p.org} on Gatehouse.

Your invitation code: ${p.code}

Open this link, enter the code and choose a password:
${p.link}

The invitation expires on ${until}. A newer invitation replaces this one.`,
    html: layout(
      p.org,
      `<p>${escape(p.inviter)} invited you to <strong>${escape(p.org)}</strong>.</p>
<p>Your invitation code:</p>${codeBlock(p.code)}
<p><a href="${escape(p.link)}" style="background:#4338ca;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Accept the invitation</a></p>
<p>Enter the code and choose a password. The invitation expires on ${escape(until)}; a newer invitation replaces this one.</p>`,
    ),
  }
}

const button = (href: string, label: string) =>
  `<p><a href="${escape(href)}" style="background:#4338ca;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escape(label)}</a></p>`

const minutesText = (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`)

/** AUTH-6: the code that finishes a self-registration on a stage's hosted pages. */
export function registrationCodeMail(p: { org: string; stage: string; to: string; name: string; link: string; code: string; validMinutes: number }): Mail {
  const valid = minutesText(p.validMinutes)
  return {
    template: 'registration-code',
    to: p.to,
    subject: `Your ${p.org} sign-up code: ${p.code}`,
    text: `Hello ${p.name},

Your code to finish signing up to ${p.org} (${p.stage}): ${p.code}

Enter it on the sign-up page, or open this link:
${p.link}

The code expires in ${valid}. A newer code replaces this one.`,
    html: layout(
      p.org,
      `<p>Hello ${escape(p.name)},</p><p>Your code to finish signing up to <strong>${escape(p.org)}</strong> (${escape(p.stage)}):</p>${codeBlock(p.code)}
${button(p.link, 'Finish signing up')}
<p>The code expires in ${escape(valid)}. A newer code replaces this one.</p>`,
    ),
  }
}

/** AUTH-6: someone tried to sign up with an address that already has an account. */
export function alreadyRegisteredMail(p: { org: string; stage: string; to: string; signInLink: string; resetLink: string }): Mail {
  return {
    template: 'already-registered',
    to: p.to,
    subject: `You already have an account with ${p.org}`,
    text: `Someone (hopefully you) tried to sign up to ${p.org} (${p.stage}) with this email address, but it already has an account.

Sign in here:
${p.signInLink}

Forgot your password? Reset it here:
${p.resetLink}

If this was not you, you can ignore this message; nothing has changed.`,
    html: layout(
      p.org,
      `<p>Someone (hopefully you) tried to sign up to <strong>${escape(p.org)}</strong> (${escape(p.stage)}) with this email address, but it already has an account.</p>
${button(p.signInLink, 'Sign in')}
<p>Forgot your password? <a href="${escape(p.resetLink)}">Reset it</a>.</p>
<p>If this was not you, you can ignore this message; nothing has changed.</p>`,
    ),
  }
}

/** AUTH-7: the code that lets the owner of an account choose a new password. */
export function passwordResetCodeMail(p: { org: string; to: string; link: string; code: string; validMinutes: number }): Mail {
  const valid = minutesText(p.validMinutes)
  return {
    template: 'password-reset-code',
    to: p.to,
    subject: `Your ${p.org} password reset code: ${p.code}`,
    text: `Someone (hopefully you) asked to reset the password of your ${p.org} account.

Your reset code: ${p.code}

Enter it on the reset page, or open this link:
${p.link}

The code expires in ${valid}. If you did not ask for this, ignore this message: your password stays as it is.`,
    html: layout(
      p.org,
      `<p>Someone (hopefully you) asked to reset the password of your <strong>${escape(p.org)}</strong> account.</p><p>Your reset code:</p>${codeBlock(p.code)}
${button(p.link, 'Choose a new password')}
<p>The code expires in ${escape(valid)}. If you did not ask for this, ignore this message: your password stays as it is.</p>`,
    ),
  }
}

/**
 * AUTH-7 with one credential per person: a member who asked on a stage's pages resets their
 * password on the portal, which this message points to.
 */
export function resetThroughPortalMail(p: { org: string; to: string; portalResetLink: string }): Mail {
  return {
    template: 'reset-through-portal',
    to: p.to,
    subject: `Reset your ${p.org} password on the portal`,
    text: `Someone (hopefully you) asked to reset the password of your ${p.org} account on an app's sign-in page.

Your account is also a member account of the ${p.org} portal, and it has one password for both. Reset it on the portal:
${p.portalResetLink}

If you did not ask for this, ignore this message: your password stays as it is.`,
    html: layout(
      p.org,
      `<p>Someone (hopefully you) asked to reset the password of your <strong>${escape(p.org)}</strong> account on an app's sign-in page.</p>
<p>Your account is also a member account of the ${escape(p.org)} portal, and it has one password for both. Reset it on the portal:</p>
${button(p.portalResetLink, 'Reset on the portal')}
<p>If you did not ask for this, ignore this message: your password stays as it is.</p>`,
    ),
  }
}

/** Sent after any password change or reset, so the owner notices one they did not make. */
export function passwordChangedMail(p: { org: string; to: string; at: Date; resetLink: string; signedOut: 'everywhere' | 'elsewhere' }): Mail {
  const when = p.at.toUTCString()
  const signedOut = p.signedOut === 'everywhere' ? 'Every session of the account was signed out.' : 'You were signed out everywhere else.'
  return {
    template: 'password-changed',
    to: p.to,
    subject: `Your ${p.org} password was changed`,
    text: `The password of your ${p.org} account was changed on ${when}. ${signedOut}

If this was you, there is nothing to do. If it was not, reset your password now:
${p.resetLink}
and tell your administrator.`,
    html: layout(
      p.org,
      `<p>The password of your <strong>${escape(p.org)}</strong> account was changed on ${escape(when)}. ${signedOut}</p>
<p>If this was you, there is nothing to do. If it was not, <a href="${escape(p.resetLink)}">reset your password now</a> and tell your administrator.</p>`,
    ),
  }
}

/** Settings → Email delivery → Send test email. */
export function testMail(p: { org: string; to: string; sentBy: string }): Mail {
  return {
    template: 'test',
    to: p.to,
    subject: `Test email from ${p.org}`,
    text: `This is a test email that ${p.sentBy} sent from the ${p.org} settings. If you can read it, email delivery works.`,
    html: layout(p.org, `<p>This is a test email that ${escape(p.sentBy)} sent from the ${escape(p.org)} settings.</p><p>If you can read it, email delivery works.</p>`),
  }
}

export type ExpiringApiClient = { name: string; clientId: string; expiresAt: Date; link: string }

/** APIC-2: sent once per secret, 14 days before it expires, to every holder of Manage API clients. */
export function apiClientExpiryReminderMail(p: { org: string; to: string; clients: ExpiringApiClient[] }): Mail {
  const one = p.clients.length === 1
  const subject = one ? `${p.org}: the secret of API client ${p.clients[0].name} expires soon` : `${p.org}: the secrets of ${p.clients.length} API clients expire soon`
  const lines = p.clients.map((c) => `- ${c.name} (client id ${c.clientId}): the secret stops working on ${c.expiresAt.toUTCString()}.\n  ${c.link}`)
  const items = p.clients
    .map((c) => `<li><a href="${escape(c.link)}">${escape(c.name)}</a> (client id <code>${escape(c.clientId)}</code>): the secret stops working on ${escape(c.expiresAt.toUTCString())}.</li>`)
    .join('')
  return {
    template: 'api-client-expiry-reminder',
    to: p.to,
    subject,
    text: `${one ? 'The secret of an API client' : 'The secrets of some API clients'} of ${p.org} will expire soon:

${lines.join('\n')}

Generate a new secret on the client's Secret tab before then and give it to whoever runs the integration; calls made with an expired secret are refused. You receive this because you can manage API clients.`,
    html: layout(
      p.org,
      `<p>${one ? 'The secret of an API client' : 'The secrets of some API clients'} of <strong>${escape(p.org)}</strong> will expire soon:</p><ul>${items}</ul>
<p>Generate a new secret on the client's Secret tab before then and give it to whoever runs the integration; calls made with an expired secret are refused.</p>
<p style="color:#666">You receive this because you can manage API clients.</p>`,
    ),
  }
}
