import type { ReactNode } from 'react'
import type { AppDetail } from '@/lib/apps/get-app'
import type { Ctx } from '@/lib/context'
import { AccessTab } from './access-tab'
import { DetailsTab } from './details-tab'
import { RolesTab } from './roles-tab'

export type AppTabProps = { app: AppDetail; ctx: Ctx; searchParams: Record<string, string | undefined> }

/**
 * The tabs of an app's page, in order; the first is the default. A tab is a URL (`?tab=<id>`) and
 * a server component that loads its own data through a use case. To add one (e.g. “Who has
 * access”, `?tab=access`), append an entry here.
 */
export const appTabs: ReadonlyArray<{ id: string; label: string; render: (props: AppTabProps) => ReactNode | Promise<ReactNode> }> = [
  { id: 'roles', label: 'End-user roles', render: (p) => <RolesTab app={p.app} /> },
  { id: 'access', label: 'Who has access', render: (p) => <AccessTab {...p} /> },
  { id: 'details', label: 'Details', render: (p) => <DetailsTab app={p.app} /> },
]
