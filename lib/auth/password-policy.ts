// The password rules (AUTH-2). Pure, so the same checks run live in the browser and on the server;
// the common-password list is checked on the server only (lib/auth/common-passwords.ts).

export type PasswordPolicyMode = 'odc' | 'asvs'

export const PASSWORD_MIN = 12
export const PASSWORD_MAX = 128

export type PasswordRule = { id: 'length' | 'max' | 'digit' | 'upper'; label: string; met: boolean }

export function passwordRules(password: string, mode: PasswordPolicyMode = 'odc'): PasswordRule[] {
  const chars = [...password].length
  const rules: PasswordRule[] = [
    { id: 'length', label: `At least ${PASSWORD_MIN} characters`, met: chars >= PASSWORD_MIN },
    { id: 'max', label: `At most ${PASSWORD_MAX} characters`, met: chars <= PASSWORD_MAX },
  ]
  if (mode === 'odc') {
    rules.push({ id: 'digit', label: 'At least one digit', met: /\p{Nd}/u.test(password) })
    rules.push({ id: 'upper', label: 'At least one upper-case letter', met: /\p{Lu}/u.test(password) })
  }
  return rules
}

/** The first unmet rule as a sentence, or null when the composition rules hold. */
export function passwordProblem(password: string, mode: PasswordPolicyMode = 'odc'): string | null {
  const unmet = passwordRules(password, mode).find((r) => !r.met)
  if (!unmet) return null
  switch (unmet.id) {
    case 'length':
      return `Use at least ${PASSWORD_MIN} characters.`
    case 'max':
      return `Use at most ${PASSWORD_MAX} characters.`
    case 'digit':
      return 'Include at least one digit.'
    case 'upper':
      return 'Include at least one upper-case letter.'
  }
}
