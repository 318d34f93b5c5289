import type { Metadata } from 'next'
import './globals.css'

// Every page reads live data (sessions, users, grants); nothing is prerendered at build time.
export const dynamic = 'force-dynamic'

export const metadata: Metadata = {
  title: { default: 'Gatehouse', template: '%s · Gatehouse' },
  description: 'User and access management',
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  )
}
