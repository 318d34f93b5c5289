CREATE TABLE "user_search_domain_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_search_postings" (
	"word" text NOT NULL,
	"sort_key" text NOT NULL,
	"user_key" uuid NOT NULL,
	CONSTRAINT "user_search_postings_word_sort_key_user_key_pk" PRIMARY KEY("word","sort_key","user_key")
);
--> statement-breakpoint
CREATE TABLE "user_search_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE INDEX "user_search_domain_words_trgm_idx" ON "user_search_domain_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "user_search_words_trgm_idx" ON "user_search_words" USING gin ("word" gin_trgm_ops);