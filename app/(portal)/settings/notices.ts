export const settingsNotices = {
  'organization-saved': 'The organization’s name was saved.',
  'policy-saved': 'The password rule was saved. It applies to every password set from now on; existing passwords keep working.',
  'api-limits-saved': 'The API limits were saved. New rates apply from the next request.',
  'stage-renamed': 'The stage was renamed. Its code, and so its hosted pages’ addresses, stay the same.',
  'sessions-saved': 'The session settings were saved, and every session of the stage ended: its end-users sign in again under the new limits.',
  'self-registration-saved': 'The self-registration settings were saved.',
  'domains-saved': 'The internal user domains were saved, and every user was classified again. The audit trail records how many changed.',
  'email-saved': 'The SMTP server was saved. All email is now sent through it; send a test email to check.',
  'email-removed': 'The saved SMTP server was removed.',
  unchanged: 'Nothing changed: the values were already saved.',
} as const

export type SettingsNotice = keyof typeof settingsNotices

/** The sections of the settings page, in order; each is its own URL (/settings/<id>). */
export const SETTINGS_SECTIONS = [
  { id: 'organization', label: 'Organization' },
  { id: 'stages', label: 'Stages' },
  { id: 'internal-domains', label: 'Internal user domains' },
  { id: 'email', label: 'Email delivery' },
] as const

export type SettingsSection = (typeof SETTINGS_SECTIONS)[number]['id']
