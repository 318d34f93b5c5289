// What the account page confirms after a redirect with `?notice=`: the session actions redirect,
// because the buttons that asked disappear with the sessions they ended.
export const accountNotices = {
  'session-ended': 'The session was signed out.',
  'others-ended': 'Your other sessions here were signed out.',
} as const

export type AccountNotice = keyof typeof accountNotices
