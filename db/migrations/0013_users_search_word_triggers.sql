-- Custom SQL: the word index of the users search (db/schema/user-search.ts), kept by triggers so
-- that every writer of users (use cases, bulk creation, the CLI, the seeding of benchmarks) keeps
-- it exact in its own transaction.
--
-- A word is a run of characters that are not ASCII digits, ASCII punctuation, spaces or control
-- characters, in the lower-cased text, exactly as users.search_text lower-cases it. The triggers
-- find a user's old postings by cutting the old name and email again, so changing this rule means
-- rebuilding user_search_postings in the same migration.
CREATE FUNCTION gatehouse_search_words(t text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT m[1] FROM regexp_matches(t, '[^\x01-\x60\x7b-\x7f]+', 'g') m
$$;--> statement-breakpoint
-- Words of the name and of the email's local part: they get postings.
CREATE FUNCTION gatehouse_user_search_words(name text, email text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT gatehouse_search_words(lower(name) || ' ' || regexp_replace(lower(coalesce(email, '')), '@[^@]*$', ''))
$$;--> statement-breakpoint
-- Words of the email's domain: listed, without postings.
CREATE FUNCTION gatehouse_user_domain_words(email text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT gatehouse_search_words(substring(lower(email) from '@([^@]*)$'))
$$;--> statement-breakpoint

-- New words are inserted in word order, so that two transactions adding the same new words wait
-- for each other in the same order instead of deadlocking.
CREATE FUNCTION gatehouse_index_inserted_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH w AS (SELECT n.key, lower(n.name) AS sort_key, x AS word FROM new_users n, gatehouse_user_search_words(n.name, n.email) x),
  listed AS (INSERT INTO user_search_words (word) SELECT DISTINCT word FROM w ORDER BY word ON CONFLICT DO NOTHING)
  INSERT INTO user_search_postings (word, sort_key, user_key) SELECT word, sort_key, key FROM w;
  INSERT INTO user_search_domain_words (word)
  SELECT DISTINCT x FROM new_users n, gatehouse_user_domain_words(n.email) x ORDER BY x ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION gatehouse_unindex_deleted_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM user_search_postings p
  USING (SELECT x AS word, lower(o.name) AS sort_key, o.key FROM old_users o, gatehouse_user_search_words(o.name, o.email) x) d
  WHERE p.word = d.word AND p.sort_key = d.sort_key AND p.user_key = d.key;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION gatehouse_reindex_updated_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM user_search_postings p USING gatehouse_user_search_words(OLD.name, OLD.email) x
  WHERE p.word = x AND p.sort_key = lower(OLD.name) AND p.user_key = OLD.key;
  INSERT INTO user_search_words (word) SELECT x FROM gatehouse_user_search_words(NEW.name, NEW.email) x ORDER BY x ON CONFLICT DO NOTHING;
  INSERT INTO user_search_postings (word, sort_key, user_key) SELECT x, lower(NEW.name), NEW.key FROM gatehouse_user_search_words(NEW.name, NEW.email) x;
  INSERT INTO user_search_domain_words (word) SELECT x FROM gatehouse_user_domain_words(NEW.email) x ORDER BY x ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER users_search_insert AFTER INSERT ON users REFERENCING NEW TABLE AS new_users
  FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_index_inserted_users();--> statement-breakpoint
CREATE TRIGGER users_search_delete AFTER DELETE ON users REFERENCING OLD TABLE AS old_users
  FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_unindex_deleted_users();--> statement-breakpoint
-- Per row, and only when the name or email changed: a sign-in updating last_login_at costs nothing.
CREATE TRIGGER users_search_update AFTER UPDATE OF name, email ON users
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email)
  EXECUTE FUNCTION gatehouse_reindex_updated_user();--> statement-breakpoint

-- The users that exist already.
INSERT INTO user_search_words (word) SELECT DISTINCT x FROM users u, gatehouse_user_search_words(u.name, u.email) x;--> statement-breakpoint
INSERT INTO user_search_domain_words (word) SELECT DISTINCT x FROM users u, gatehouse_user_domain_words(u.email) x;--> statement-breakpoint
INSERT INTO user_search_postings (word, sort_key, user_key) SELECT x, lower(u.name), u.key FROM users u, gatehouse_user_search_words(u.name, u.email) x;
