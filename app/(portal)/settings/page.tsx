import { redirect } from 'next/navigation'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { getSettings } from '@/lib/settings/get-settings'
import { visibleSections } from './settings-frame'

/** /settings opens the first section the member may see; without any, the use case answers 403. */
export default async function SettingsPage() {
  const ctx = await requireMemberContext()
  const settings = await loadPage(() => getSettings(ctx))
  redirect(`/settings/${visibleSections(settings)[0]}`)
}
