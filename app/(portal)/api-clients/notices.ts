export const apiClientNotices = {
  saved: 'The API client was saved.',
  'permissions-saved': 'The permissions were saved. They apply from the client’s next API call.',
  suspended: 'The API client was suspended. Its secret and every token it holds stopped working.',
  resumed: 'The API client was resumed. An unexpired secret and unexpired tokens work again.',
  deleted: 'The API client was deleted. Its secret and tokens no longer work.',
} as const

export type ApiClientNotice = keyof typeof apiClientNotices
