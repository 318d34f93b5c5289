-- Custom SQL, like 0004: the name-order index also carries the columns the users list filters on
-- (status, member, end-user, internal), so that a search with those filters walks the name order
-- in the index alone instead of visiting a row of the table for every user it passes.
DROP INDEX "users_name_sort_idx";--> statement-breakpoint
CREATE INDEX "users_name_sort_idx" ON "users" USING btree (lower("name"),"key") INCLUDE ("name","search_text","status","is_member","is_end_user","is_internal");
