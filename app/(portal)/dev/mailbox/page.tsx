import type { Metadata } from 'next'
import Link from 'next/link'
import { Alert } from '@/components/ui/alert'
import { buttonClass } from '@/components/ui/button'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { listMailbox } from '@/lib/mail/list-mailbox'
import { isMailDelivered } from '@/lib/mail/outbox'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'

export const metadata: Metadata = { title: 'Mailbox' }

const fmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' })

export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const ctx = await requireMemberContext()
  const { before } = await searchParams
  const { rows, next } = await loadPage(() => listMailbox(ctx, { before }))
  const delivered = await isMailDelivered()
  return (
    <>
      <PageHeader title="Development mailbox" description="Messages Gatehouse would have emailed. Newest first." />
      {delivered && (
        <div className="mb-4">
          <Alert tone="info">An SMTP server is configured, so mail is delivered and its content is erased from here after sending.</Alert>
        </div>
      )}
      {rows.length === 0 ? (
        <EmptyState title="No messages yet">Invitations and codes appear here when they are sent.</EmptyState>
      ) : (
        <div className="space-y-4">
          {rows.map((m) => (
            <Card key={m.id}>
              <article aria-label={`Message to ${m.toAddress}: ${m.subject}`}>
                <header className="mb-3 flex flex-wrap justify-between gap-2 text-sm">
                  <div>
                    <p className="font-semibold">{m.subject}</p>
                    <p className="text-slate-500">To {m.toAddress}</p>
                  </div>
                  <time className="text-slate-500">{fmt.format(m.createdAt)} UTC</time>
                </header>
                {m.textBody ? <pre className="rounded bg-slate-50 p-3 text-sm whitespace-pre-wrap dark:bg-slate-950">{m.textBody}</pre> : <p className="text-sm text-slate-500">Delivered {m.sentAt ? `${fmt.format(m.sentAt)} UTC` : ''}; content erased.</p>}
                {m.lastError && <p className="mt-2 text-sm text-red-600">Last delivery error: {m.lastError}</p>}
              </article>
            </Card>
          ))}
        </div>
      )}
      {next && (
        <div className="mt-4">
          <Link href={`/dev/mailbox?before=${next}`} className={buttonClass('secondary')}>
            Older messages
          </Link>
        </div>
      )}
    </>
  )
}
