import { Badge } from '@/components/ui/badge'
import type { ApiClientStatus } from '@/lib/api-clients/status'

const tone = { Available: 'green', 'Needs attention': 'amber', Expired: 'red', Suspended: 'slate' } as const

export function ApiClientStatusBadge({ status }: { status: ApiClientStatus }) {
  return <Badge tone={tone[status]}>{status}</Badge>
}
