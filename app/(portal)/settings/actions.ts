'use server'

import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { formValues, needsConfirmation, runAction, type ActionResult } from '@/lib/actions'
import { getRequestContext } from '@/lib/request'
import { renameStage } from '@/lib/settings/rename-stage'
import { removeEmailSettings } from '@/lib/settings/remove-email-settings'
import { saveEmailSettings } from '@/lib/settings/save-email-settings'
import { sendTestEmail } from '@/lib/settings/send-test-email'
import { updateApiLimits } from '@/lib/settings/update-api-limits'
import { updateInternalDomains } from '@/lib/settings/update-internal-domains'
import { updateOrganizationName } from '@/lib/settings/update-organization-name'
import { updatePasswordPolicy } from '@/lib/settings/update-password-policy'
import { updateSelfRegistration } from '@/lib/settings/update-self-registration'
import { previewStageSessions, updateStageSessions } from '@/lib/settings/update-stage-sessions'
import type { SettingsNotice, SettingsSection } from './notices'

// Each action is a public endpoint: it only adapts the form to a use case, which validates and
// authorizes. `returnStage` only says which stage tab to come back to.

function back(section: SettingsSection, notice: SettingsNotice, stage?: unknown): never {
  revalidatePath('/settings', 'layout')
  const stageParam = typeof stage === 'string' && /^[A-Za-z0-9_-]{1,20}$/.test(stage) ? `stage=${encodeURIComponent(stage)}&` : ''
  redirect(`/settings/${section}?${stageParam}notice=${notice}`)
}

export async function updateOrganizationNameAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => updateOrganizationName(ctx, formValues(formData, 'name')))
  if (!result.ok) return result
  return back('organization', 'organization-saved')
}

export async function updatePasswordPolicyAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => updatePasswordPolicy(ctx, formValues(formData, 'mode')))
  if (!result.ok) return result
  return back('organization', 'policy-saved')
}

export async function updateApiLimitsAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => updateApiLimits(ctx, formValues(formData, 'apiRateLimit', 'bulkRateLimit', 'apiClientLimit')))
  if (!result.ok) return result
  return back('organization', result.data?.changed ? 'api-limits-saved' : 'unchanged')
}

export async function renameStageAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => renameStage(ctx, formValues(formData, 'stageKey', 'name')))
  if (!result.ok) return result
  return back('stages', 'stage-renamed', formData.get('returnStage'))
}

/**
 * Saving session settings ends every session of the stage (AUTH-4). Unless the form comes back
 * confirmed, a change that would end live sessions is first answered with how many.
 */
export async function updateStageSessionsAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const values = formValues(formData, 'stageKey', 'maxValue', 'maxUnit', 'idleValue', 'idleUnit')
  if (formData.get('confirmed') !== 'yes') {
    const preview = await runAction(() => previewStageSessions(ctx, values))
    if (!preview.ok) return preview
    const { changed, liveSessions, stageCode } = preview.data!
    if (changed && liveSessions > 0)
      return needsConfirmation([
        `${liveSessions.toLocaleString('en')} live ${liveSessions === 1 ? 'session' : 'sessions'} in ${stageCode} will end: everyone signed in to ${stageCode}’s apps has to sign in again.`,
      ])
  }
  const result = await runAction(() => updateStageSessions(ctx, values))
  if (!result.ok) return result
  return back('stages', result.data!.changed ? 'sessions-saved' : 'unchanged', formData.get('returnStage'))
}

export async function updateSelfRegistrationAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const input = { ...formValues(formData, 'stageKey', 'enabled', 'allowedDomains'), groupKeys: formData.getAll('groupKeys') }
  const result = await runAction(() => updateSelfRegistration(ctx, input))
  if (!result.ok) return result
  return back('stages', result.data!.changed ? 'self-registration-saved' : 'unchanged', formData.get('returnStage'))
}

export async function updateInternalDomainsAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => updateInternalDomains(ctx, { domains: formData.getAll('domains') }))
  if (!result.ok) return result
  return back('internal-domains', result.data!.changed ? 'domains-saved' : 'unchanged')
}

export async function saveEmailSettingsAction(_prev: unknown, formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => saveEmailSettings(ctx, formValues(formData, 'host', 'port', 'security', 'username', 'password', 'fromName', 'fromAddress')))
  if (!result.ok) return result
  return back('email', 'email-saved')
}

export async function removeEmailSettingsAction(_prev: unknown, _formData: FormData) {
  const ctx = await getRequestContext()
  const result = await runAction(() => removeEmailSettings(ctx, {}))
  if (!result.ok) return result
  return back('email', 'email-removed')
}

/** Sends the test email and answers with the SMTP server's verdict; stays on the page. */
export async function sendTestEmailAction(_prev: unknown, formData: FormData): Promise<ActionResult> {
  const ctx = await getRequestContext()
  const to = formData.get('to')
  const result = await runAction(() => sendTestEmail(ctx, formValues(formData, 'to')))
  if (!result.ok) return result
  const outcome = result.data!
  if (outcome.delivered) return { ok: true, message: `The test email was accepted by the SMTP server for ${String(to)}. If it does not arrive, check the spam folder and the sender address.` }
  if (outcome.via === 'outbox') return { ok: false, error: 'No SMTP server is configured, so the test email went to the development mailbox instead.' }
  return { ok: false, error: `Sending failed. The SMTP server said: ${outcome.error}` }
}
