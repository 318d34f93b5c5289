-- Custom SQL: drizzle-orm 0.45 cannot declare INCLUDE columns, so db/schema/users.ts keeps the key
-- columns only and this migration's snapshot equals 0003's (its format has no INCLUDE, so a later
-- generate sees no change to this index). The walk in lib/users/search-page.ts reads key, lower(name) and
-- search_text from this index alone (an index-only scan); PostgreSQL plans one only when every
-- column the query touches is in the index, even `name` used just inside lower(name).
DROP INDEX "users_name_sort_idx";--> statement-breakpoint
CREATE INDEX "users_name_sort_idx" ON "users" USING btree (lower("name"),"key") INCLUDE ("name","search_text");
