// An API client's status is derived, never stored (APIC-7): from whether it is suspended, its
// secrets and its permissions, at a given moment. Pure, so the rules can be tested over any clock;
// lib/api-clients/store.ts states the same rules in SQL for the list's filter (kept in step by tests).
import { REMINDER_WINDOW_MS } from './expiry'

export const API_CLIENT_STATUSES = ['Available', 'Needs attention', 'Expired', 'Suspended'] as const
export type ApiClientStatus = (typeof API_CLIENT_STATUSES)[number]

/** The URL form of a status (`needs-attention`), for the list's filter. */
export const statusSlug = (status: ApiClientStatus) => status.toLowerCase().replace(/\s+/g, '-')

export const statusFromSlug = (slug: string | undefined): ApiClientStatus | undefined => API_CLIENT_STATUSES.find((s) => statusSlug(s) === slug?.toLowerCase())

export type SecretTimes = { expiresAt: Date; retiresAt: Date | null; createdAt: Date }

/** A secret works until its expiry and, once a rotation replaced it, until it retires. */
export const isLive = (s: SecretTimes, now: Date) => s.expiresAt > now && (s.retiresAt === null || s.retiresAt > now)

/**
 * The secret that counts for the client's status: the live one no rotation has replaced, else
 * (only during a rotation's overlap, if the new one is already gone) the newest live one.
 */
export function currentSecret<S extends SecretTimes>(secrets: readonly S[], now: Date): S | null {
  const live = secrets.filter((s) => isLive(s, now))
  live.sort((a, b) => Number(a.retiresAt !== null) - Number(b.retiresAt !== null) || b.createdAt.getTime() - a.createdAt.getTime())
  return live[0] ?? null
}

export type StatusInput = { suspendedAt: Date | null; secrets: readonly SecretTimes[]; permissionCount: number; now: Date }

/**
 * Suspended when an administrator suspended it; Expired when no secret works; Needs attention when
 * it holds no permission or its secret expires within the reminder window (14 days); else Available.
 */
export function apiClientStatus({ suspendedAt, secrets, permissionCount, now }: StatusInput): ApiClientStatus {
  if (suspendedAt) return 'Suspended'
  const current = currentSecret(secrets, now)
  if (!current) return 'Expired'
  if (permissionCount === 0 || current.expiresAt.getTime() - now.getTime() <= REMINDER_WINDOW_MS) return 'Needs attention'
  return 'Available'
}
