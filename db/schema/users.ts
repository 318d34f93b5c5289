import { sql } from 'drizzle-orm'
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { userStatus } from './enums'

export const users = pgTable(
  'users',
  {
    key: uuid('key').primaryKey().defaultRandom(),
    name: text('name').notNull().default(''),
    email: text('email'),
    photoUrl: text('photo_url'),
    status: userStatus('status').notNull(),
    isEmailVerified: boolean('is_email_verified').notNull().default(false),
    // Derived from grants and kept in step by the use cases that change grants, so that the
    // member / end-user filters and counts are index lookups instead of joins over all users.
    isMember: boolean('is_member').notNull().default(false),
    isEndUser: boolean('is_end_user').notNull().default(false),
    // Internal or external by the organization's internal user domains (CLS-1). Set by a database
    // trigger whenever the email changes, and recomputed for everyone when the domains change
    // (lib/settings), so the users filter and the dashboard counts never classify on the fly.
    isInternal: boolean('is_internal').notNull().default(true),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    // What substring search matches, computed once per write instead of once per row per search.
    searchText: text('search_text').generatedAlwaysAs(sql`lower(name || ' ' || coalesce(email, ''))`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(sql`lower(${t.email})`),
    // One index per sort the users list offers; the key breaks ties for keyset pagination.
    // Migrations 0004 and 0014 (custom SQL) also give this index INCLUDE (name, search_text, status,
    // is_member, is_end_user, is_internal), which drizzle-orm 0.45 cannot declare: the name-order
    // walk of a search, filtered or not, then reads the index alone. Keep those migrations in step
    // when changing this line.
    index('users_name_sort_idx').on(sql`lower(${t.name})`, t.key),
    index('users_email_sort_idx').on(sql`lower(coalesce(${t.email}, ''))`, t.key),
    index('users_status_sort_idx').on(t.status, t.key),
    // Never-signed-in users sort first: keyset comparison needs a value, not NULL.
    index('users_last_login_sort_idx').on(sql`coalesce(${t.lastLoginAt}, '-infinity'::timestamptz)`, t.key),
    index('users_created_sort_idx').on(t.createdAt, t.key),
    // Substring search over name and email.
    index('users_search_text_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('users_member_idx').on(t.isMember, sql`lower(${t.name})`, t.key),
    index('users_end_user_idx').on(t.isEndUser, sql`lower(${t.name})`, t.key),
    index('users_end_user_class_idx').on(t.isInternal, sql`lower(${t.name})`, t.key).where(sql`${t.isEndUser}`),
  ],
)

export type User = typeof users.$inferSelect
