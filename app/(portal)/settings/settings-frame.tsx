import { TabNav } from '@/components/layout/tabs'
import { NoticeAlert } from '@/components/ui/alert'
import { PageHeader } from '@/components/ui/card'
import type { SettingsView } from '@/lib/settings/get-settings'
import { SETTINGS_SECTIONS, settingsNotices, type SettingsSection } from './notices'

/** The sections this member may see; the organization section is there for everyone who opens the page. */
export function visibleSections(settings: SettingsView): SettingsSection[] {
  return SETTINGS_SECTIONS.map((s) => s.id).filter(
    (id) => id === 'organization' || (id === 'stages' && settings.stages !== null) || (id === 'internal-domains' && settings.internalDomains !== null) || (id === 'email' && settings.email !== null),
  )
}

export function SettingsFrame({ settings, current, notice, children }: { settings: SettingsView; current: SettingsSection; notice?: string; children: React.ReactNode }) {
  const visible = visibleSections(settings)
  return (
    <>
      <PageHeader title="Settings" description={`How ${settings.organization.name} runs: its name and password rule, its stages, who counts as internal, and how email is delivered.`} />
      <NoticeAlert notices={settingsNotices} notice={notice} />
      <TabNav label="Settings sections" current={current} tabs={SETTINGS_SECTIONS.filter((s) => visible.includes(s.id)).map((s) => ({ key: s.id, label: s.label, href: `/settings/${s.id}` }))} />
      {children}
    </>
  )
}

export const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)

export type SettingsSearchParams = Promise<Record<string, string | string[] | undefined>>
