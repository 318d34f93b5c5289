import { spawn } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { and, eq, isNull } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditEvents, roleAssignments, roles, userCredentials, users } from '@/db/schema'
import { ADMIN, setupOrganization, uniqueEmail, useTestDatabase } from '@/test/harness'
import { CLI_ACTOR_LABEL } from './command'
import { runCli } from './run'

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n'), lines: out }
}

const lastJson = (lines: string[]) => JSON.parse(lines.at(-1)!)

describe('gatehouse CLI commands', () => {
  const database = useTestDatabase()
  const db = () => database.current().db

  it('migrate reports an up-to-date schema', async () => {
    const text = await cli('migrate')
    expect(text.code).toBe(0)
    expect(text.out).toMatch(/up to date/)
    const json = await cli('migrate', '--json')
    expect(json.code).toBe(0)
    expect(lastJson(json.lines)).toMatchObject({ upToDate: true, pending: [], latest: expect.any(String) })
  })

  it('create-admin before first-run setup points to /setup and changes nothing', async () => {
    const result = await cli('create-admin', '--email', 'early@example.test')
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/\/setup/)
    expect(result.err).not.toMatch(/\n\s+at /) // no stack trace for an operator's mistake
    expect(result.out).toBe('')
    expect(await db().select().from(users)).toHaveLength(0)
  })

  describe('after setup', () => {
    beforeAll(async () => {
      await setupOrganization()
    })

    it('create-admin invites an Administrator, prints the link and records the CLI as actor', async () => {
      const email = uniqueEmail('admin')
      const result = await cli('create-admin', '--email', email.toUpperCase(), '--name', 'New Admin')
      expect(result.code).toBe(0)
      expect(result.out).toMatch(/\/invite\/[\w-]{20,}/)
      expect(result.out).toMatch(/valid until \d{4}-\d\d-\d\dT/)

      const [user] = await db().select().from(users).where(eq(users.email, email))
      expect(user).toMatchObject({ status: 'Invited', name: 'New Admin', isMember: true })
      const grants = await db()
        .select({ builtIn: roles.builtIn })
        .from(roleAssignments)
        .innerJoin(roles, eq(roles.key, roleAssignments.roleKey))
        .where(and(eq(roleAssignments.userKey, user.key), isNull(roleAssignments.appKey)))
      expect(grants).toEqual([{ builtIn: 'administrator' }])
      const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, 'member.invited'), eq(auditEvents.targetKey, user.key)))
      expect(event).toMatchObject({ actorType: 'system', actorKey: null, actorLabel: CLI_ACTOR_LABEL })
    })

    it('create-admin --json prints one parseable object', async () => {
      const email = uniqueEmail('json')
      const result = await cli('create-admin', '--email', email, '--json')
      expect(result.code).toBe(0)
      expect(result.lines).toHaveLength(1)
      const data = lastJson(result.lines)
      expect(data).toMatchObject({ email, role: 'Administrator', link: expect.stringContaining('/invite/'), mail: 'outbox' })
      expect(new Date(data.expiresAt).getTime()).toBeGreaterThan(Date.now())
    })

    it('create-admin for an existing email fails with exit code 1 and says why', async () => {
      const text = await cli('create-admin', '--email', ADMIN.email)
      expect(text.code).toBe(1)
      expect(text.err).toMatch(/already has an account/)
      expect(text.err.split('\n')).toHaveLength(1)
      expect(text.out).toBe('')

      const json = await cli('create-admin', '--email', ADMIN.email, '--json')
      expect(json.code).toBe(1)
      expect(lastJson(json.lines)).toEqual({
        error: { code: 'Conflict', message: expect.stringMatching(/already has an account/), fieldErrors: { email: [expect.any(String)] } },
      })
      expect(await db().select().from(users).where(eq(users.email, ADMIN.email))).toHaveLength(1)
    })

    it('create-admin rejects an invalid email with the portal’s message', async () => {
      const result = await cli('create-admin', '--email', 'not-an-email')
      expect(result.code).toBe(1)
      expect(result.err).toMatch(/email: Enter a valid email address/)
    })

    it('unlock-user clears failed attempts and the lockout, and is audited', async () => {
      const [admin] = await db().select().from(users).where(eq(users.email, ADMIN.email))
      await db()
        .update(userCredentials)
        .set({ failedAttempts: 7, lockedUntil: new Date(Date.now() + 15 * 60_000) })
        .where(eq(userCredentials.userKey, admin.key))

      const result = await cli('unlock-user', '--email', ADMIN.email.toUpperCase())
      expect(result.code).toBe(0)
      expect(result.out).toMatch(/Unlocked/)
      const [cred] = await db().select().from(userCredentials).where(eq(userCredentials.userKey, admin.key))
      expect(cred).toMatchObject({ failedAttempts: 0, lockedUntil: null })
      const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, 'user.unlocked'), eq(auditEvents.targetKey, admin.key)))
      expect(event).toMatchObject({ actorType: 'system', actorLabel: CLI_ACTOR_LABEL })

      const again = await cli('unlock-user', '--email', ADMIN.email, '--json')
      expect(again.code).toBe(0)
      expect(lastJson(again.lines)).toEqual({ email: ADMIN.email, userKey: admin.key, wasLocked: false })
    })

    it('unlock-user for an unknown email fails with exit code 1', async () => {
      const result = await cli('unlock-user', '--email', 'nobody@example.test', '--json')
      expect(result.code).toBe(1)
      expect(lastJson(result.lines).error).toMatchObject({ code: 'NotFound', message: expect.stringContaining('nobody@example.test') })
    })
  })

  it('rejects command-line mistakes with exit code 2', async () => {
    const missing = await cli('create-admin')
    expect(missing).toMatchObject({ code: 2, out: '' })
    expect(missing.err).toMatch(/--email/)
    expect((await cli('unlock-user', '--email', 'a@b.test', '--bogus')).code).toBe(2)
    expect((await cli('unlock-user', 'stray')).code).toBe(2)
    expect((await cli('nope')).code).toBe(2)
    const json = await cli('create-admin', '--json')
    expect(json.code).toBe(2)
    expect(lastJson(json.lines).error.code).toBe('UsageError')
  })

  it('prints usage for help, --help and no command', async () => {
    for (const argv of [[], ['help'], ['--help']]) {
      const result = await cli(...argv)
      expect(result.code).toBe(0)
      for (const name of ['migrate', 'create-admin', 'unlock-user']) expect(result.out).toContain(name)
    }
    const one = await cli('help', 'create-admin')
    expect(one.code).toBe(0)
    expect(one.out).toMatch(/--email EMAIL/)
    expect((await cli('create-admin', '--help')).out).toMatch(/--name NAME/)
  })
})

describe('the gatehouse launcher', () => {
  const launcher = path.resolve(import.meta.dirname, '../../scripts/gatehouse.mjs')

  // Runs from another directory on purpose: the bin entry must find the project by itself.
  function run(...argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [launcher, ...argv], { cwd: os.tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (c) => (stdout += c))
      child.stderr.on('data', (c) => (stderr += c))
      child.on('error', reject)
      child.on('close', (code) => resolve({ code, stdout, stderr }))
    })
  }

  it('prints usage and exits 0 for help', async () => {
    const result = await run('help')
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Usage: gatehouse <command>/)
    expect(result.stdout).toMatch(/create-admin/)
  })

  it('exits 2 for an unknown command', async () => {
    const result = await run('nope')
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/unknown command 'nope'/)
    expect(result.stdout).toBe('')
  })
})
