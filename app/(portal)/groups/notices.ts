export const groupNotices = {
  created: 'Group created. Choose the roles its members get, then add users.',
  'roles-saved': 'The roles were saved. Members have them from their next request.',
  'member-added': 'The user was added. They have the group’s roles from their next request.',
  'member-removed': 'The user was removed from the group.',
  saved: 'The group was saved.',
} as const

export type GroupNotice = keyof typeof groupNotices
