import { pgEnum } from 'drizzle-orm/pg-core'

export const userStatus = pgEnum('user_status', ['Invited', 'PendingRegistration', 'Active', 'Inactive'])
export type UserStatus = (typeof userStatus.enumValues)[number]

export const actorType = pgEnum('actor_type', ['user', 'api_client', 'system'])
export type ActorType = (typeof actorType.enumValues)[number]

export const sessionKind = pgEnum('session_kind', ['portal', 'stage'])
export type SessionKind = (typeof sessionKind.enumValues)[number]
