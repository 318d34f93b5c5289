/**
 * The SQL twin of the in-process evaluator (`check` in lib/authz/evaluate.ts): one prepared
 * statement that answers "may user U use permission P (on app A, in stage S) at time T?" with a
 * join over role_assignments and role_permissions.
 *
 * It is the baseline of the access benchmark (bench/access.ts, perf-plan B1) and the oracle of the
 * property test lib/authz/evaluate-sql.int.test.ts; both import it from here so that they measure
 * and verify the same statement.
 *
 * The rules, from SPEC §2, as SQL:
 * * AUTHZ-1: an organization-scope grant applies to every app; an app-scope grant only to its app.
 * * AUTHZ-2: an app-scope grant confers only permissions whose allowed scopes include Asset; an
 *   organization-only permission in it is ignored, and so is everything it inherits (it is not
 *   held, so it implies nothing). Inheritance at app scope therefore only runs through permissions
 *   that work at app scope.
 * * AUTHZ-3: a stage limit on a granted permission holds for it and for whatever it implies that
 *   allows stage limits; a limited permission needs a stage in the check, and that stage must be in
 *   the limit. Permissions without stage limits hold in every stage.
 * * AUTHZ-4: inheritance is transitive. The catalogue's `inherits` is expanded here, in TypeScript,
 *   into a VALUES list of (granted permission key, implied slug) pairs, one row per pair, with
 *   whether the pair also holds at app scope.
 * * ROLE-4: a grant confers nothing outside its period: starts_at <= now < ends_at (either open).
 */
import type pg from 'pg'
import type { Catalogue } from '@/lib/authz/model'

export type ClosurePair = { granted: string; grantedSlug: string; implied: string; allowStages: boolean; atApp: boolean }

/** Every (granted, implied) pair of the transitive inheritance closure (a permission implies itself). */
export function inheritanceClosure(catalogue: Catalogue): ClosurePair[] {
  const pairs: ClosurePair[] = []
  const worksAtApp = (slug: string) => catalogue.permissions.get(slug)?.allowedScopes.includes('Asset') ?? false
  for (const root of catalogue.permissions.values()) {
    // Everything reachable at organization scope, and the part reachable through app-scope permissions only.
    const reach = (onlyApp: boolean): Set<string> => {
      const seen = new Set<string>()
      if (onlyApp && !worksAtApp(root.slug)) return seen
      const stack = [root.slug]
      while (stack.length) {
        const slug = stack.pop()!
        if (seen.has(slug)) continue
        seen.add(slug)
        for (const child of catalogue.permissions.get(slug)?.inherits ?? []) {
          if (!catalogue.permissions.has(child) || (onlyApp && !worksAtApp(child))) continue
          stack.push(child)
        }
      }
      return seen
    }
    const atApp = reach(true)
    for (const implied of reach(false)) {
      pairs.push({ granted: root.key, grantedSlug: root.slug, implied, allowStages: catalogue.permissions.get(implied)!.allowStages, atApp: atApp.has(implied) })
    }
  }
  return pairs
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`

/**
 * The statement. Parameters: $1 user key, $2 permission slug, $3 app key or null, $4 stage key or
 * null, $5 now. Returns one row `{ allowed: boolean }`.
 */
export function checkSql(catalogue: Catalogue): string {
  const values = inheritanceClosure(catalogue)
    .map((p) => `(${literal(p.granted)}::uuid, ${literal(p.implied)}, ${p.allowStages}, ${p.atApp})`)
    .join(',\n      ')
  return `select exists (
  select 1
  from role_assignments ra
  join role_permissions rp on rp.role_key = ra.role_key
  join (values
      ${values}
    ) as c(granted, implied, allow_stages, at_app) on c.granted = rp.permission_key
  where ra.user_key = $1::uuid
    and c.implied = $2::text
    and (ra.app_key is null or (ra.app_key = $3::uuid and c.at_app))
    and (ra.starts_at is null or ra.starts_at <= $5::timestamptz)
    and (ra.ends_at is null or ra.ends_at > $5::timestamptz)
    and (not c.allow_stages or rp.stage_keys is null or $4::uuid = any(rp.stage_keys))
) as allowed`
}

export type SqlCheckArgs = { userKey: string; slug: string; appKey?: string | null; stageKey?: string | null; now: Date }

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>

/**
 * A checker bound to one statement text. With `prepared` (the default) the statement is a named
 * prepared statement: parsed and planned once per connection, then only bound and executed.
 */
export function sqlChecker(catalogue: Catalogue, opts: { name?: string; prepared?: boolean } = {}) {
  const text = checkSql(catalogue)
  const name = opts.name ?? 'gatehouse_authz_check'
  const prepared = opts.prepared ?? true
  return {
    text,
    async check(db: Queryable, a: SqlCheckArgs): Promise<boolean> {
      const values = [a.userKey, a.slug, a.appKey ?? null, a.stageKey ?? null, a.now]
      const result = await (db as pg.Pool).query<{ allowed: boolean }>(prepared ? { name, text, values } : { text, values })
      return result.rows[0].allowed
    },
  }
}
