import { pgEnum } from 'drizzle-orm/pg-core'

export const userStatus = pgEnum('user_status', ['Invited', 'PendingRegistration', 'Active', 'Inactive'])
export type UserStatus = (typeof userStatus.enumValues)[number]

export const actorType = pgEnum('actor_type', ['user', 'api_client', 'system'])
export type ActorType = (typeof actorType.enumValues)[number]

export const sessionKind = pgEnum('session_kind', ['portal', 'stage'])
export type SessionKind = (typeof sessionKind.enumValues)[number]

// How a user came to be in an end-user group (GRP-1): added by an administrator or the API, or
// placed there at sign-in by an identity provider's claim mapping.
export const groupMembershipType = pgEnum('group_membership_type', ['Assigned', 'Mapped'])
export type GroupMembershipType = (typeof groupMembershipType.enumValues)[number]

// What an emailed one-time code finishes: a self-registration (AUTH-6) or a password reset (AUTH-7).
export const verificationPurpose = pgEnum('verification_purpose', ['registration', 'password_reset'])
export type VerificationPurpose = (typeof verificationPurpose.enumValues)[number]
