import { sql } from 'drizzle-orm'
import { index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core'

/*
 * An ordered word index for the users search (lib/users/search-page.ts), kept by triggers on
 * `users` (migration 0012), so that a term whose matches all sort together far down the name order
 * ("zoë", "mary") is read in name order instead of gathering and sorting every match.
 *
 * A word is a run of characters that are neither ASCII digits, ASCII punctuation nor spaces
 * (gatehouse_search_words). A term made of word characters only occurs in a user's search text
 * exactly when it occurs inside one of that user's words; so the users matching such a term are
 * the postings of the words containing it, each list already in name order.
 */

/** Every word of a user's name and of the local part of their email, with the user's sort keys. */
export const userSearchPostings = pgTable(
  'user_search_postings',
  {
    word: text('word').notNull(),
    // lower(users.name): the users list's name order, so one word's users are read in that order.
    sortKey: text('sort_key').notNull(),
    userKey: uuid('user_key').notNull(),
    // lower(coalesce(users.email, '')): the same in the email order (filled by migration 0016).
    emailKey: text('email_key').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.word, t.sortKey, t.userKey] }), index('user_search_postings_email_order_idx').on(t.word, t.emailKey, t.userKey)],
)

/**
 * The distinct words that have postings, to find the words containing a term. Insert-only: a word
 * nobody uses any more only costs an empty read.
 */
export const userSearchWords = pgTable(
  'user_search_words',
  { word: text('word').primaryKey() },
  (t) => [index('user_search_words_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`)],
)

/**
 * Words of email domains, which get no postings (every user at gmail.com would be one); a term
 * inside one of them is searched the other ways.
 */
export const userSearchDomainWords = pgTable(
  'user_search_domain_words',
  { word: text('word').primaryKey() },
  (t) => [index('user_search_domain_words_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`)],
)
