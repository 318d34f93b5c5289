import Link from 'next/link'
import { Alert } from '@/components/ui/alert'
import { NavLink } from '@/components/layout/nav-link'
import { isMailDelivered } from '@/lib/mail/outbox'
import { getNavigation } from '@/lib/me/navigation'
import { requireMemberContext } from '@/lib/request'
import { signOutAction } from './actions'

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireMemberContext()
  const nav = await getNavigation(ctx)
  const mailDelivered = await isMailDelivered()
  const label = ctx.actor?.label ?? ''
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:m-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-6 py-3">
          <Link href="/" className="text-sm font-bold tracking-wide text-brand-700 dark:text-brand-100">
            GATEHOUSE
          </Link>
          <nav aria-label="Main" className="flex flex-1 flex-wrap gap-1 text-sm">
            <NavLink href="/">Dashboard</NavLink>
            {nav.users && <NavLink href="/users">Users</NavLink>}
            {nav.groups && <NavLink href="/groups">Groups</NavLink>}
            {nav.roles && <NavLink href="/roles">Roles</NavLink>}
            {nav.apps && <NavLink href="/apps">Apps</NavLink>}
            {nav.apiClients && <NavLink href="/api-clients">API clients</NavLink>}
            <NavLink href="/api-reference">API</NavLink>
            {nav.audit && <NavLink href="/audit">Audit trail</NavLink>}
            {nav.mailbox && !mailDelivered && <NavLink href="/dev/mailbox">Mailbox</NavLink>}
            {nav.users && <NavLink href="/access/check">Check access</NavLink>}
            {nav.settings && <NavLink href="/settings">Settings</NavLink>}
            <NavLink href="/me">My access</NavLink>
          </nav>
          <div className="flex items-center gap-3 text-sm">
            <span className="text-slate-500 dark:text-slate-400" title="Signed in as">
              {label}
            </span>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      {!mailDelivered && (
        <div className="mx-auto max-w-7xl px-6 pt-4">
          <Alert tone="warning">
            Email is not being delivered: no SMTP server is configured ({nav.settings ? (
              <Link href="/settings/email" className="underline">
                Settings → Email delivery
              </Link>
            ) : (
              'Settings → Email delivery'
            )}, or <code>SMTP_URL</code>). Messages are kept in the{' '}
            {nav.mailbox ? (
              <Link href="/dev/mailbox" className="underline">
                development mailbox
              </Link>
            ) : (
              'development mailbox'
            )}{' '}
            instead.
          </Alert>
        </div>
      )}
      <main id="main" className="mx-auto max-w-7xl px-6 py-8">
        {children}
      </main>
    </div>
  )
}
