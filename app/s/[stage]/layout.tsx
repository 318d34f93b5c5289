import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { findHostedStage } from '@/lib/hosted/stage'

// The hosted end-user pages of a stage (HOST-1): branded with the organization's name, one column
// that fits a phone. No portal navigation: end-users never see the portal.
export async function generateMetadata({ params }: { params: Promise<{ stage: string }> }): Promise<Metadata> {
  const stage = await findHostedStage((await params).stage)
  return stage ? { title: { default: stage.organization, template: `%s · ${stage.organization}` }, referrer: 'no-referrer' } : {}
}

export default async function HostedStageLayout({ children, params }: { children: React.ReactNode; params: Promise<{ stage: string }> }) {
  const stage = await findHostedStage((await params).stage)
  if (!stage) notFound()
  return (
    <div className="flex min-h-screen flex-col items-center px-4 py-8 sm:py-12">
      <div className="w-full max-w-md">
        <header className="mb-6 text-center">
          <p className="text-lg font-semibold text-slate-900 dark:text-slate-100">{stage.organization}</p>
          {stage.code !== 'PRD' && <p className="mt-1 text-xs font-medium tracking-wide text-amber-700 uppercase dark:text-amber-300">{stage.name}</p>}
        </header>
        <main>{children}</main>
        <footer className="mt-8 text-center text-xs text-slate-400">Secured by Gatehouse</footer>
      </div>
    </div>
  )
}
