import type { Metadata } from 'next'
import Link from 'next/link'
import { notFound, redirect } from 'next/navigation'
import { getStageRequestContext } from '@/lib/hosted/request'
import { describeSignUp, listDomains } from '@/lib/hosted/sign-up'
import { signUpAction } from '../actions'
import { HostedCard, linkClass } from '../hosted-card'
import { hostedStageOf, oneParam, stagePath } from '../hosted-stage'
import { SignUpForm } from './sign-up-form'

export const metadata: Metadata = { title: 'Create an account' }

// Exists only while self-registration is on for the stage (HOST-2, AUTH-6).
export default async function StageSignUpPage({ params, searchParams }: { params: Promise<{ stage: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const stage = await hostedStageOf(params)
  if (!stage.selfRegistrationEnabled) notFound()
  const ctx = await getStageRequestContext(stage)
  if (ctx.actor) redirect(stagePath(stage, 'account'))
  const { domains } = await describeSignUp(ctx, stage.key)
  const email = oneParam((await searchParams).email)
  return (
    <HostedCard title="Create an account" description={<>Sign up to use {stage.organization}&rsquo;s apps. We will email you a code to confirm your address.</>}>
      <SignUpForm action={signUpAction.bind(null, stage.code)} email={email} domainsHint={domains.length ? `Use an address at ${listDomains(domains)}.` : undefined} />
      <p className="mt-6 border-t border-slate-200 pt-4 text-center text-sm text-slate-600 dark:border-slate-800 dark:text-slate-300">
        Already have an account?{' '}
        <Link href={stagePath(stage, 'sign-in')} className={linkClass}>
          Sign in
        </Link>
      </p>
    </HostedCard>
  )
}
