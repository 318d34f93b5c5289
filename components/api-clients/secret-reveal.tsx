'use client'

import { useEffect, useRef } from 'react'
import { CopyUrl } from '@/components/settings/copy-url'
import { Alert } from '@/components/ui/alert'

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' })

/**
 * The client id and a new secret, shown once (APIC-4): the secret reached the browser only as the
 * answer to the action that created it, never in a URL, and is gone once this page is left.
 */
export function SecretReveal({ clientId, clientSecret, expiresAt, children }: { clientId: string; clientSecret: string; expiresAt: string; children?: React.ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null)
  // Move focus to the result, so keyboard and screen-reader users land on it.
  useEffect(() => heading.current?.focus(), [])
  return (
    <section aria-labelledby="secret-heading" className="space-y-4">
      <h2 id="secret-heading" ref={heading} tabIndex={-1} className="text-lg font-semibold outline-none">
        Copy the secret now
      </h2>
      <Alert tone="warning" title="This is the only time the secret is shown.">
        Gatehouse keeps only a hash of it and cannot show it again. Store it in your secret manager before leaving this page; if it is lost, generate a new one on the client&apos;s Secret tab.
      </Alert>
      <CopyUrl label="Client id" url={clientId} />
      <CopyUrl label="Client secret" url={clientSecret} />
      <p className="text-sm text-slate-600 dark:text-slate-300">
        The secret stops working on {fmt.format(new Date(expiresAt))} UTC. Exchange it for an access token at the token endpoint with <code>grant_type=client_credentials</code>.
      </p>
      {children}
    </section>
  )
}
