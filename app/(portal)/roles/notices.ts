export const roleNotices = {
  created: 'The role was created. Assign it to members from their user page.',
  saved: 'The role was saved. Its holders have the new permissions from their next request.',
  duplicated: 'This is a copy. Rename it and adjust its permissions.',
  deleted: 'The role was deleted and its grants revoked.',
} as const

export type RoleNotice = keyof typeof roleNotices
