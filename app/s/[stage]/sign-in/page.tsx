import type { Metadata } from 'next'
import Link from 'next/link'
import { redirect } from 'next/navigation'
import { getStageRequestContext } from '@/lib/hosted/request'
import { stageSignInProviders } from '@/lib/hosted/sign-in'
import { signInToStageAction } from '../actions'
import { HostedCard, linkClass } from '../hosted-card'
import { hostedStageOf, stagePath } from '../hosted-stage'
import { StageSignInForm } from './sign-in-form'

export const metadata: Metadata = { title: 'Sign in' }

export default async function StageSignInPage({ params }: { params: Promise<{ stage: string }> }) {
  const stage = await hostedStageOf(params)
  if ((await getStageRequestContext(stage)).actor) redirect(stagePath(stage, 'account'))
  const providers = stageSignInProviders()
  return (
    <HostedCard title="Sign in" description={<>Use your {stage.organization} account.</>}>
      <h2 id="providers-heading" className="mb-3 text-sm font-medium text-slate-700 dark:text-slate-200">
        Sign in with
      </h2>
      <ul aria-labelledby="providers-heading" className="space-y-6">
        {providers.map((provider) => (
          <li key={provider.key}>
            {provider.kind === 'built-in' && (
              <div className="space-y-4">
                <p className="text-sm text-slate-600 dark:text-slate-300">{provider.name}</p>
                <StageSignInForm action={signInToStageAction.bind(null, stage.code)} forgotHref={stagePath(stage, 'forgot-password')} />
              </div>
            )}
          </li>
        ))}
      </ul>
      {stage.selfRegistrationEnabled && (
        <p className="mt-6 border-t border-slate-200 pt-4 text-center text-sm text-slate-600 dark:border-slate-800 dark:text-slate-300">
          New here?{' '}
          <Link href={stagePath(stage, 'sign-up')} className={linkClass}>
            Create an account
          </Link>
        </p>
      )}
    </HostedCard>
  )
}
