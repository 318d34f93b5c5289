/**
 * The users data set of the users-list and API benchmarks: one INSERT … SELECT over generate_series
 * (realistic names, e-mails over common domains, statuses, last sign-ins; 1 % members holding an
 * organization role), with the secondary indexes of users rebuilt afterwards, then VACUUM ANALYZE.
 */
import { performance } from 'node:perf_hooks'
import type { Database } from '@/db/client'
import { log, type TargetName } from './harness'

export const FIRST_NAMES = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Christopher', 'Nancy', 'Daniel', 'Lisa',
  'Matthew', 'Betty', 'Anthony', 'Margaret', 'Mark', 'Sandra', 'Donald', 'Ashley', 'Steven', 'Kimberly', 'Paul', 'Emily',
  'Andrew', 'Donna', 'Joshua', 'Michelle', 'Kenneth', 'Dorothy', 'Kevin', 'Carol', 'Brian', 'Amanda', 'George', 'Melissa',
  'Edward', 'Deborah', 'Ronald', 'Stephanie', 'Timothy', 'Rebecca', 'Jason', 'Sharon', 'Jeffrey', 'Laura', 'Ryan', 'Cynthia',
  'Jacob', 'Kathleen', 'Gary', 'Amy', 'Nicholas', 'Shirley', 'Eric', 'Angela', 'Jonathan', 'Helen', 'Stephen', 'Anna',
  'Larry', 'Brenda', 'Justin', 'Pamela', 'Scott', 'Nicole', 'Brandon', 'Emma', 'Benjamin', 'Samantha', 'Samuel', 'Katherine',
  'Gregory', 'Christine', 'Frank', 'Debra', 'Alexander', 'Rachel', 'Raymond', 'Catherine', 'Patrick', 'Carolyn', 'Jack', 'Janet',
  'Madison', 'Allison', 'Sofia', 'Lukas', 'Mateo', 'Chloé', 'Zoë', 'José', 'Björn', 'Søren', 'Anaïs', 'Renée', 'Jürgen',
  'François', 'Inés', 'Noémie', 'Łukasz', 'Akira', 'Yuki', 'Wei', 'Priya', 'Arjun', 'Fatima', 'Omar', 'Aisha', 'Kwame',
  'Olga', 'Dmitri', 'Ingrid', 'Lars', 'Siobhan', 'Niamh', 'Giulia', 'Matteo', 'Luca', 'Elif', 'Mehmet', 'Ana', 'João',
]
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez',
  'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White',
  'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres',
  'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart', 'Morris',
  'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper', 'Peterson', 'Bailey', 'Reed', 'Kelly',
  'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson', 'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray',
  'Mendoza', 'Ruiz', 'Hughes', 'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster',
  "O'Brien", "O'Connor", 'McDonald', 'van der Berg', 'de Vries', 'Müller', 'Schmidt', 'Schäfer', 'Größer', 'Nilsson',
  'Larsson', 'Johansson', 'Østergaard', 'Kowalski', 'Nowak', 'Wiśniewski', 'Dubois', 'Lefèvre', 'Rossi', 'Bianchi', 'Esposito',
  'Fernández', 'González', 'Pérez', 'Silva', 'Santos', 'Oliveira', 'Yamamoto', 'Tanaka', 'Suzuki', 'Wang', 'Li', 'Zhang',
  'Chen', 'Sharma', 'Singh', 'Kumar', 'Okafor', 'Mensah', 'Ivanov', 'Petrov', 'Yılmaz', 'Kaya', 'Hudson', 'Harrison', 'Emerson',
]
export const DOMAINS = [
  'gmail.com', 'gmail.com', 'gmail.com', 'outlook.com', 'outlook.com', 'yahoo.com', 'hotmail.com', 'icloud.com', 'proton.me',
  'gmx.de', 'web.de', 'orange.fr', 'libero.it', 'example.org', 'example.com', 'acme-corp.com', 'globex.io', 'initech.net',
  'umbrella.co', 'hooli.xyz', 'stark-industries.com', 'wayne-enterprises.com', 'piedpiper.dev', 'contoso.com', 'fabrikam.com',
  'northwind.io', 'tailspin.aero', 'adventure-works.com', 'wingtiptoys.com', 'lucerne-publishing.com', 'university.edu',
]

export const textArray = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`

/**
 * One INSERT … SELECT over generate_series. hashint8extended(i, seed) gives independent,
 * reproducible pseudo-random bits per row (every run seeds the same data set except for the keys).
 */
export function seedSql(): string {
  const bits = (seed: number) => `(hashint8extended(g.i, ${seed}) & 9223372036854775807)`
  const ascii = (col: string) => `regexp_replace(translate(lower(${col}), 'àáâäãåçèéêëìíîïñòóôöõøùúûüýÿłśşğıæ', 'aaaaaaceeeeiiiinoooooouuuuyylssgia'), '[^a-z]', '', 'g')`
  return `
insert into users (name, email, status, is_email_verified, is_member, is_end_user, last_login_at, created_at, updated_at)
select name, email, status::user_status, status = 'Active', is_member, is_end_user, last_login_at, created_at, coalesce(last_login_at, created_at)
from (
  select
    case when r_name % 200 = 7 then ''
         when r_name % 10 = 0 then first || ' ' || chr((65 + (r_name / 10) % 26)::int) || '. ' || last
         else first || ' ' || last end as name,
    case when r_mail % 100 = 42 and not is_member then null
         else (case (r_mail / 100) % 5
                 when 0 then ${ascii('first')} || '.' || ${ascii('last')} || '.' || i
                 when 1 then left(${ascii('first')}, 1) || ${ascii('last')} || i
                 when 2 then ${ascii('first')} || '_' || ${ascii('last')} || i
                 when 3 then ${ascii('last')} || '.' || ${ascii('first')} || i
                 else ${ascii('first')} || i end)
              || '@' || domains[1 + (r_mail / 1000) % cardinality(domains)] end as email,
    status, is_member, is_end_user, created_at,
    case when status in ('Invited', 'PendingRegistration') or r_login % 100 < 12 then null
         else created_at + (t0 - created_at) * ((r_login / 100 % 1000000) / 1000000.0) end as last_login_at
  from (
    select g.i, t0, domains,
      firsts[1 + ${bits(1)} % cardinality(firsts)] as first,
      lasts[1 + ${bits(2)} % cardinality(lasts)] as last,
      ${bits(3)} as r_name, ${bits(4)} as r_mail, ${bits(5)} as r_login,
      case when ${bits(6)} % 100 < 84 then 'Active' when ${bits(6)} % 100 < 90 then 'Invited'
           when ${bits(6)} % 100 < 93 then 'PendingRegistration' else 'Inactive' end as status,
      g.i % 100 = 0 as is_member,
      g.i % 100 <> 0 and ${bits(7)} % 100 < 96 as is_end_user,
      t0 - interval '3 years' * ((${bits(8)} % 1000000000) / 1000000000.0) as created_at
    from generate_series(1, $1::int) as g(i),
      (select now() as t0, ${textArray(FIRST_NAMES)} as firsts, ${textArray(LAST_NAMES)} as lasts, ${textArray(DOMAINS)} as domains) c
  ) r
) s`
}

export type SeedReport = { insertMs: number; indexMs: number; rolesMs: number; vacuumMs: number; totalMs: number; indexes: { name: string; ms: number }[] }

export async function seed(database: Database, target: TargetName, n: number): Promise<SeedReport> {
  const client = await database.pool.connect()
  const timed = async <T>(what: string, fn: () => Promise<T>): Promise<[T, number]> => {
    const t = performance.now()
    const value = await fn()
    const ms = performance.now() - t
    log(`  ${what}: ${(ms / 1000).toFixed(1)} s`)
    return [value, ms]
  }
  const start = performance.now()
  try {
    // Build the secondary indexes after the bulk insert (same definitions, read back from the
    // catalogue, so the result is exactly the migrated schema) — far faster than maintaining them row by row.
    await client.query(`set maintenance_work_mem = '${target === 'postgres' ? '1GB' : '256MB'}'`)
    const { rows: defs } = await client.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = 'users' and indexname <> 'users_pkey' order by indexname`,
    )
    for (const d of defs) await client.query(`drop index ${d.indexname}`)
    const [, insertMs] = await timed(`insert ${n.toLocaleString('en')} users`, () => client.query(seedSql(), [n]))
    const indexes: { name: string; ms: number }[] = []
    const [, indexMs] = await timed('build users indexes', async () => {
      for (const d of defs) {
        const [, ms] = await timed(`    ${d.indexname}`, () => client.query(d.indexdef))
        indexes.push({ name: d.indexname, ms })
      }
    })
    const [, rolesMs] = await timed('role + organization-scope assignments for members', async () => {
      const { rows } = await client.query<{ key: string }>(`insert into roles (name, description) values ('Bench role', 'Organization role held by every benchmark member') returning key`)
      // Members that already hold an organization role (the administrator of a set-up organization) keep it.
      await client.query(
        `insert into role_assignments (user_key, role_key) select key, $1 from users u where is_member and not exists (select 1 from role_assignments ra where ra.user_key = u.key and ra.app_key is null)`,
        [rows[0].key],
      )
    })
    const [, vacuumMs] = await timed('vacuum analyze + checkpoint', async () => {
      await client.query('vacuum analyze users')
      // Filled by the users triggers (migration 0013) during the insert above.
      for (const table of ['user_search_postings', 'user_search_words', 'user_search_domain_words']) await client.query(`vacuum analyze ${table}`)
      await client.query('vacuum analyze role_assignments')
      await client.query('vacuum analyze roles')
      await client.query('checkpoint')
    })
    return { insertMs, indexMs, rolesMs, vacuumMs, totalMs: performance.now() - start, indexes }
  } finally {
    await client.query('reset maintenance_work_mem').catch(() => {})
    client.release()
  }
}
