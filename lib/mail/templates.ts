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
