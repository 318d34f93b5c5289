import type { Metadata } from 'next'
import { forbidden } from 'next/navigation'
import { TabNav } from '@/components/layout/tabs'
import { CopyUrl } from '@/components/settings/copy-url'
import { SelfRegistrationForm } from '@/components/settings/self-registration-form'
import { StageNameForm } from '@/components/settings/stage-name-form'
import { StageSessionsForm } from '@/components/settings/stage-sessions-form'
import { Badge } from '@/components/ui/badge'
import { Card } from '@/components/ui/card'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { describeMinutes } from '@/lib/settings/durations'
import { getSettings } from '@/lib/settings/get-settings'
import { renameStageAction, updateSelfRegistrationAction, updateStageSessionsAction } from '../actions'
import { first, SettingsFrame, type SettingsSearchParams } from '../settings-frame'

export const metadata: Metadata = { title: 'Settings · Stages' }

const readOnly = <Badge>Read only</Badge>

export default async function StageSettingsPage({ searchParams }: { searchParams: SettingsSearchParams }) {
  const ctx = await requireMemberContext()
  const settings = await loadPage(() => getSettings(ctx))
  if (!settings.stages) forbidden()
  const raw = await searchParams
  const wanted = first(raw.stage)?.toUpperCase()
  const stage = settings.stages.find((s) => s.code.toUpperCase() === wanted) ?? settings.stages[0]
  const { access } = settings
  return (
    <SettingsFrame settings={settings} current="stages" notice={first(raw.notice)}>
      <TabNav label="Stages" current={stage.code} tabs={settings.stages.map((s) => ({ key: s.code, label: `${s.name} (${s.code})`, href: `/settings/stages?stage=${encodeURIComponent(s.code)}` }))} />
      <div className="grid gap-6">
        <Card title="Name" description="Stages are listed everywhere by this name." actions={access.renameStages ? undefined : readOnly}>
          {access.renameStages ? (
            <StageNameForm key={stage.key} stage={stage} action={renameStageAction} />
          ) : (
            <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
              <dt className="text-slate-500">Name</dt>
              <dd>{stage.name}</dd>
              <dt className="text-slate-500">Code</dt>
              <dd>{stage.code}</dd>
            </dl>
          )}
        </Card>

        <Card
          title="End-user sessions"
          description={`How long a sign-in on ${stage.code}’s hosted pages lasts, for every app of the stage. Members’ portal sessions always last at most 12 hours.`}
          actions={access.manageAuthentication ? undefined : readOnly}
        >
          {access.manageAuthentication ? (
            <StageSessionsForm key={stage.key} stage={stage} sessions={stage.sessions} action={updateStageSessionsAction} />
          ) : (
            <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
              <dt className="text-slate-500">Maximum session</dt>
              <dd>{describeMinutes(stage.sessions.maxMinutes)}</dd>
              <dt className="text-slate-500">Idle time</dt>
              <dd>{describeMinutes(stage.sessions.idleMinutes)}</dd>
              <dt className="text-slate-500">Live sessions</dt>
              <dd>{stage.sessions.liveSessions.toLocaleString('en')}</dd>
            </dl>
          )}
        </Card>

        <Card
          title="Self-registration"
          description={`Whether people can create their own end-user account on ${stage.code}’s hosted pages.`}
          actions={access.manageAuthentication ? undefined : readOnly}
        >
          <SelfRegistrationForm key={stage.key} stage={stage} settings={stage.selfRegistration} action={updateSelfRegistrationAction} editable={access.manageAuthentication} />
          <div className="mt-6 space-y-3 border-t border-slate-200 pt-4 dark:border-slate-800">
            <p className="text-sm text-slate-600 dark:text-slate-300">Link your apps to the stage’s hosted pages:</p>
            <CopyUrl label="Sign-up page" url={stage.hostedUrls.signUp} />
            {!stage.selfRegistration.enabled && <p className="text-xs text-slate-500">The sign-up page answers “not found” while self-registration is off.</p>}
            <CopyUrl label="Sign-in page" url={stage.hostedUrls.signIn} />
          </div>
        </Card>
      </div>
    </SettingsFrame>
  )
}
