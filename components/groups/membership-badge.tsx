import { Badge } from '@/components/ui/badge'
import type { GroupMemberRow } from '@/lib/groups/list-group-members'

type GroupMembershipType = GroupMemberRow['types'][number]

const explain: Record<GroupMembershipType, string> = {
  Assigned: 'Added by a member or the API; can be removed here.',
  Mapped: 'Added at sign-in by an identity provider’s claim mapping; change the mapping to remove it.',
}

/** How a user came to be in a group (GRP-1). */
export function MembershipBadge({ type }: { type: GroupMembershipType }) {
  return (
    <span title={explain[type]}>
      <Badge tone={type === 'Assigned' ? 'blue' : 'amber'}>{type}</Badge>
    </span>
  )
}
