-- Every user also counts as 'user', so that a list of everyone can show its total without counting
-- a million rows (GET /api/identity/v1/users, API-1). Same triggers as 0007; only the kinds change.
CREATE OR REPLACE FUNCTION gatehouse_user_kinds(u users) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT 'user'
  UNION ALL SELECT 'member' WHERE u.is_member
  UNION ALL SELECT CASE WHEN u.is_internal THEN 'end_user_internal' ELSE 'end_user_external' END WHERE u.is_end_user
  UNION ALL SELECT 'invited' WHERE u.status = 'Invited'
$$;--> statement-breakpoint
INSERT INTO user_count_deltas (kind, delta) SELECT 'user', count(*) FROM users;
