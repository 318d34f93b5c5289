-- Custom SQL: triggers drizzle-kit cannot declare.
--
-- CLS-1: a user is internal when they have no email, when the organization lists no internal
-- domains, or when their email's domain is one of them: gatehouse_is_internal, the one place that
-- rule is written. Set here on every insert and email change, so no writer can forget it;
-- lib/settings/update-internal-domains.ts applies it to everyone when the domains change.
CREATE FUNCTION gatehouse_is_internal(email text, domains text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT email IS NULL OR coalesce(cardinality(domains), 0) = 0 OR lower(split_part(email, '@', 2)) = ANY (domains)
$$;--> statement-breakpoint
CREATE FUNCTION gatehouse_classify_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.is_internal := gatehouse_is_internal(NEW.email, (SELECT internal_domains FROM organizations LIMIT 1));
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER users_classify BEFORE INSERT OR UPDATE OF email ON users
  FOR EACH ROW EXECUTE FUNCTION gatehouse_classify_user();--> statement-breakpoint

-- CLS-2: live counts without scanning users. Each statement that changes users appends, per kind,
-- its net change (nothing when the net is zero, as for a sign-in). Appending takes no lock another
-- writer could wait on, so concurrent invitations never serialize or deadlock on a counter row.
CREATE FUNCTION gatehouse_user_kinds(u users) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT 'member' WHERE u.is_member
  UNION ALL SELECT CASE WHEN u.is_internal THEN 'end_user_internal' ELSE 'end_user_external' END WHERE u.is_end_user
  UNION ALL SELECT 'invited' WHERE u.status = 'Invited'
$$;--> statement-breakpoint
CREATE FUNCTION gatehouse_count_inserted_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO user_count_deltas (kind, delta)
  SELECT k, count(*) FROM new_users n, gatehouse_user_kinds(n) k GROUP BY k ORDER BY k;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION gatehouse_count_deleted_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO user_count_deltas (kind, delta)
  SELECT k, -count(*) FROM old_users o, gatehouse_user_kinds(o) k GROUP BY k ORDER BY k;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION gatehouse_count_updated_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO user_count_deltas (kind, delta)
  SELECT k, sum(d) FROM (
    SELECT k, 1 AS d FROM new_users n, gatehouse_user_kinds(n) k
    UNION ALL
    SELECT k, -1 AS d FROM old_users o, gatehouse_user_kinds(o) k
  ) changes GROUP BY k HAVING sum(d) <> 0 ORDER BY k;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER users_count_insert AFTER INSERT ON users REFERENCING NEW TABLE AS new_users
  FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_count_inserted_users();--> statement-breakpoint
CREATE TRIGGER users_count_delete AFTER DELETE ON users REFERENCING OLD TABLE AS old_users
  FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_count_deleted_users();--> statement-breakpoint
CREATE TRIGGER users_count_update AFTER UPDATE ON users REFERENCING OLD TABLE AS old_users NEW TABLE AS new_users
  FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_count_updated_users();--> statement-breakpoint

-- The counts of the users that exist already.
INSERT INTO user_count_deltas (kind, delta)
SELECT k, count(*) FROM users u, gatehouse_user_kinds(u) k GROUP BY k ORDER BY k;
