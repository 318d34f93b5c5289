-- Custom SQL: the word index also carries each posting's email order key (0015), so that a search
-- in the email order reads it in that order too. The triggers of 0013 now fill it; the postings
-- of the users that exist already get it here.
CREATE OR REPLACE FUNCTION gatehouse_index_inserted_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH w AS (
    SELECT n.key, lower(n.name) AS sort_key, lower(coalesce(n.email, '')) AS email_key, x AS word
    FROM new_users n, gatehouse_user_search_words(n.name, n.email) x
  ),
  listed AS (INSERT INTO user_search_words (word) SELECT DISTINCT word FROM w ORDER BY word ON CONFLICT DO NOTHING)
  INSERT INTO user_search_postings (word, sort_key, user_key, email_key) SELECT word, sort_key, key, email_key FROM w;
  INSERT INTO user_search_domain_words (word)
  SELECT DISTINCT x FROM new_users n, gatehouse_user_domain_words(n.email) x ORDER BY x ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION gatehouse_reindex_updated_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM user_search_postings p USING gatehouse_user_search_words(OLD.name, OLD.email) x
  WHERE p.word = x AND p.sort_key = lower(OLD.name) AND p.user_key = OLD.key;
  INSERT INTO user_search_words (word) SELECT x FROM gatehouse_user_search_words(NEW.name, NEW.email) x ORDER BY x ON CONFLICT DO NOTHING;
  INSERT INTO user_search_postings (word, sort_key, user_key, email_key)
  SELECT x, lower(NEW.name), NEW.key, lower(coalesce(NEW.email, '')) FROM gatehouse_user_search_words(NEW.name, NEW.email) x;
  INSERT INTO user_search_domain_words (word) SELECT x FROM gatehouse_user_domain_words(NEW.email) x ORDER BY x ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
UPDATE user_search_postings p SET email_key = lower(coalesce(u.email, '')) FROM users u WHERE u.key = p.user_key AND coalesce(u.email, '') <> '';
