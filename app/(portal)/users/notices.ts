export const userNotices = {
  invited: 'Invitation sent. They appear as Invited until they accept.',
  deactivated: 'The user is inactive: signed out everywhere and unable to sign in until activated.',
  activated: 'The user is active again.',
  'invitation-resent': 'A new invitation was sent. The code in the earlier email no longer works.',
  'sessions-ended': 'All of their sessions were ended.',
  unlocked: 'The account is unlocked.',
  'role-saved': 'The organization role was saved.',
  'grant-saved': 'The role grant was saved. It applies from their next request.',
  'end-user-roles-saved': 'End-user roles were saved.',
  'group-joined': 'Added to the group. Its roles apply from their next request.',
  'group-left': 'Removed from the group.',
} as const

export type UserNotice = keyof typeof userNotices
