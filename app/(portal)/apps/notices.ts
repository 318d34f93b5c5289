export const appNotices = {
  created: 'The app was created. Add its end-user roles below.',
  saved: 'The app was saved.',
  deleted: 'The app was deleted.',
  'role-created': 'The role was created in every stage the app is deployed to.',
  'role-saved': 'The role was saved.',
  'role-deleted': 'The role was deleted. Everyone who held it has lost it.',
} as const

export type AppNotice = keyof typeof appNotices
