import { eq, isNull } from 'drizzle-orm'
import { decodeProtectedHeader } from 'jose'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { auditEvents, signingKeys } from '@/db/schema'
import { createMember } from '@/test/factories'
import { setupOrganization, useTestDatabase } from '@/test/harness'
import { systemCtx, type Ctx } from '../context'
import { decryptSecret, encryptSecret } from '../crypto/secrets'
import { ForbiddenError } from '../errors'
import { signAccessToken } from './access-tokens'
import { ApiAuthenticationError, authenticateApiRequest } from './authenticate'
import { forgetSigningKeys, publishedKeys, rotateSigningKey, signingKey, SIGNING_KEY_RECHECK_MS, verificationKey } from './signing-keys'
import { insertApiClient, type TestApiClient } from './testing'

const HOUR = 3600_000
const bearer = (token: string) => new Request('http://localhost:3000/api/gatehouse/v1/whoami', { headers: { authorization: `Bearer ${token}` } })

describe('token signing keys', () => {
  const database = useTestDatabase()
  const db = () => database.current().db
  let admin: Ctx
  let client: TestApiClient
  beforeAll(async () => {
    admin = (await setupOrganization()).admin
    client = await insertApiClient()
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('makes one key on first use, even when many requests need it at once', async () => {
    expect(await db().select().from(signingKeys)).toHaveLength(0)
    const signers = await Promise.all(Array.from({ length: 8 }, () => signingKey(db())))
    const rows = await db().select().from(signingKeys)
    expect(rows).toHaveLength(1)
    expect(new Set(signers.map((s) => s.kid))).toEqual(new Set([rows[0].kid]))
    // A second process (an empty cache) finds the same key rather than making another.
    forgetSigningKeys()
    expect((await signingKey(db())).kid).toBe(rows[0].kid)
    expect(await db().select().from(signingKeys)).toHaveLength(1)
  })

  it('stores the public JWK as published and the private key only encrypted', async () => {
    const [row] = await db().select().from(signingKeys)
    expect(row).toMatchObject({ algorithm: 'ES256', retiredAt: null })
    expect(row.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: row.kid, alg: 'ES256', use: 'sig' })
    expect(row.privateKeyEncrypted).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    const privateJwk = JSON.parse(decryptSecret(row.privateKeyEncrypted, 'signing_keys.private_key'))
    expect(privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256', x: (row.publicJwk as { x: string }).x, d: expect.any(String) })
    expect(row.privateKeyEncrypted).not.toContain(privateJwk.d)
  })

  it('a member without Manage organization cannot rotate; nothing changes', async () => {
    const developer = await createMember(admin, { role: 'Developer' })
    const before = await db().select().from(signingKeys)
    await expect(rotateSigningKey(developer.ctx())).rejects.toBeInstanceOf(ForbiddenError)
    expect(await db().select().from(signingKeys)).toEqual(before)
    expect(await db().select().from(auditEvents).where(eq(auditEvents.action, 'signing_key.rotated'))).toHaveLength(0)
  })

  it('an administrator rotates: the old key retires but stays published, the new one signs at once, audited', async () => {
    const old = await signingKey(db())
    const oldToken = await signAccessToken(old, client.clientId, new Date())
    const rotated = await rotateSigningKey(admin)
    expect(rotated.retiredKids).toEqual([old.kid])
    expect((await signingKey(db())).kid).toBe(rotated.kid)

    const published = await publishedKeys(db(), new Date())
    expect(published.map((k) => k.kid)).toEqual([rotated.kid, old.kid])
    expect((await authenticateApiRequest(bearer(oldToken))).actor).toMatchObject({ clientKey: client.key })

    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.action, 'signing_key.rotated'))
    expect(event).toMatchObject({ actorType: 'user', targetType: 'signing_key', targetKey: rotated.kid, changes: { before: { signingKids: [old.kid] }, after: { signingKids: [rotated.kid] } } })
  })

  it('publishes a retired key for 12 hours and 5 minutes, then no longer accepts what it signed', async () => {
    const now = Date.now()
    const gone = await signingKey(db())
    await rotateSigningKey(systemCtx('test', { now: () => new Date(now - 12 * HOUR - 6 * 60_000) }))
    const lingering = await signingKey(db())
    await rotateSigningKey(systemCtx('test', { now: () => new Date(now - 12 * HOUR - 4 * 60_000) }))
    const kids = (await publishedKeys(db(), new Date(now))).map((k) => k.kid)
    expect(kids).toContain(lingering.kid)
    expect(kids).not.toContain(gone.kid)
    expect(await verificationKey(db(), gone.kid, new Date(now))).toBeNull()
    // Even a fresh-looking token signed with the unpublished key is refused.
    const error = await authenticateApiRequest(bearer(await signAccessToken(gone, client.clientId, new Date()))).catch((e) => e)
    expect(error).toBeInstanceOf(ApiAuthenticationError)
  })

  it('a key retired elsewhere (another instance, the CLI) stops signing here within a minute', async () => {
    const cached = await signingKey(db())
    await db().update(signingKeys).set({ retiredAt: new Date() }).where(isNull(signingKeys.retiredAt))
    expect((await signingKey(db())).kid).toBe(cached.kid) // still within the minute
    const realNow = Date.now()
    vi.spyOn(Date, 'now').mockReturnValue(realNow + SIGNING_KEY_RECHECK_MS + 1000)
    const next = await signingKey(db())
    expect(next.kid).not.toBe(cached.kid)
    expect(decodeProtectedHeader(await signAccessToken(next, client.clientId, new Date())).kid).toBe(next.kid)
    expect(await db().select().from(signingKeys).where(isNull(signingKeys.retiredAt))).toHaveLength(1)
  })

  it('a key that no longer decrypts (AUTH_SECRET changed) says how to recover', async () => {
    forgetSigningKeys()
    const { kid } = (await db().select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt)))[0]
    await db().update(signingKeys).set({ privateKeyEncrypted: encryptSecret('{}', 'another.context') }).where(eq(signingKeys.kid, kid))
    await expect(signingKey(db())).rejects.toThrow(/rotate-signing-key/)
    const { kid: fresh } = await rotateSigningKey(systemCtx('test'))
    expect((await signingKey(db())).kid).toBe(fresh)
  })
})
