import 'server-only'
import { randomBytes } from 'node:crypto'
import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm'
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose'
import type { Executor, Tx } from '@/db/client'
import { signingKeys } from '@/db/schema'
import { audit } from '../audit/record'
import { requirePermission } from '../authz'
import { nowOf, withTransaction, type Ctx } from '../context'
import { decryptSecret, encryptSecret, SecretDecryptionError } from '../crypto/secrets'
import { TOKEN_ALGORITHM, TOKEN_LIFETIME_SECONDS, CLOCK_SKEW_SECONDS, type Signer } from './access-tokens'

// The keys that sign API access tokens (APIC-3). The database is the truth: the newest unretired
// key signs; a retired key stays published (JWKS, verification) until every token it can have
// signed has expired. Each process caches imported keys by kid, and re-reads which key is current
// at most a minute later, so a key retired by another instance (or the CLI) stops signing here
// within a minute. A token signed in that minute is still verifiable: retired keys stay published
// for the token lifetime plus a margin larger than the minute.

const PRIVATE_KEY_CONTEXT = 'signing_keys.private_key'
const LOCK = sql`select pg_advisory_xact_lock(hashtext('gatehouse:signing-keys'))`

/** How long a process trusts its idea of the current key (and of a published public key). */
export const SIGNING_KEY_RECHECK_MS = 60_000
/** A retired key is published this long after retirement: its tokens may still be live. */
export const PUBLISHED_AFTER_RETIREMENT_MS = (TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) * 1000

type Cache = {
  current?: { signer: Signer; checkedAt: number }
  privateKeys: Map<string, CryptoKey>
  publicKeys: Map<string, { key: CryptoKey; checkedAt: number }>
}
let cache: Cache = { privateKeys: new Map(), publicKeys: new Map() }

/** Forgets every cached key (tests; a process that must see the database's state at once). */
export function forgetSigningKeys(): void {
  cache = { privateKeys: new Map(), publicKeys: new Map() }
}

async function importPrivate(row: { kid: string; privateKeyEncrypted: string }): Promise<Signer> {
  let key = cache.privateKeys.get(row.kid)
  if (!key) {
    let jwk: JWK
    try {
      jwk = JSON.parse(decryptSecret(row.privateKeyEncrypted, PRIVATE_KEY_CONTEXT)) as JWK
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error
      throw new SecretDecryptionError(`The token signing key ${row.kid} cannot be decrypted: AUTH_SECRET changed since it was made. Run 'gatehouse rotate-signing-key' to sign with a new key.`)
    }
    key = (await importJWK(jwk, TOKEN_ALGORITHM, { extractable: false })) as CryptoKey
    cache.privateKeys.set(row.kid, key)
  }
  return { kid: row.kid, privateKey: key }
}

async function newestSigner(db: Executor): Promise<Signer | null> {
  const [row] = await db
    .select({ kid: signingKeys.kid, privateKeyEncrypted: signingKeys.privateKeyEncrypted })
    .from(signingKeys)
    .where(isNull(signingKeys.retiredAt))
    .orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid))
    .limit(1)
  return row ? importPrivate(row) : null
}

/** A new key pair: the public JWK stored as published, the private one encrypted (AES-GCM, AUTH_SECRET). */
async function insertKey(tx: Tx): Promise<Signer> {
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true })
  const kid = randomBytes(12).toString('base64url')
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' }
  const privateJwk = await exportJWK(privateKey)
  const privateKeyEncrypted = encryptSecret(JSON.stringify(privateJwk), PRIVATE_KEY_CONTEXT)
  // clock_timestamp(), not now(): two keys made in one transaction still have an order.
  await tx.insert(signingKeys).values({ kid, algorithm: TOKEN_ALGORITHM, publicJwk, privateKeyEncrypted, createdAt: sql`clock_timestamp()` })
  // Signing keeps a non-extractable copy; the extractable one was only needed to store it.
  const signingCopy = (await importJWK(privateJwk, TOKEN_ALGORITHM, { extractable: false })) as CryptoKey
  cache.privateKeys.set(kid, signingCopy)
  return { kid, privateKey: signingCopy }
}

/**
 * The key that signs now: the newest unretired one, made on first use. Two processes making the
 * first key at once make one: the second waits on the advisory lock, then finds the first's key.
 * Inside a transaction the creation is a savepoint of it; otherwise it commits on its own.
 */
export async function signingKey(db: Executor): Promise<Signer> {
  const current = cache.current
  if (current && Date.now() - current.checkedAt < SIGNING_KEY_RECHECK_MS) return current.signer
  const signer =
    (await newestSigner(db)) ??
    (await db.transaction(async (tx) => {
      await tx.execute(LOCK)
      return (await newestSigner(tx)) ?? (await insertKey(tx))
    }))
  cache.current = { signer, checkedAt: Date.now() }
  return signer
}

export type PublishedKey = { kid: string; jwk: JWK; createdAt: Date; retiredAt: Date | null }

const publishedAt = (now: Date) => or(isNull(signingKeys.retiredAt), gt(signingKeys.retiredAt, new Date(now.getTime() - PUBLISHED_AFTER_RETIREMENT_MS)))

/** Unretired keys and the retired ones whose tokens may still be live, newest first (the JWKS). */
export async function publishedKeys(db: Executor, now: Date): Promise<PublishedKey[]> {
  const rows = await db
    .select({ kid: signingKeys.kid, jwk: signingKeys.publicJwk, createdAt: signingKeys.createdAt, retiredAt: signingKeys.retiredAt })
    .from(signingKeys)
    .where(publishedAt(now))
    .orderBy(desc(signingKeys.createdAt), desc(signingKeys.kid))
  return rows.map((r) => ({ ...r, jwk: r.jwk as JWK }))
}

/** The public key to verify a token whose header names `kid`, if that key is published; cached a minute. */
export async function verificationKey(db: Executor, kid: string, now: Date): Promise<CryptoKey | null> {
  const hit = cache.publicKeys.get(kid)
  if (hit && Date.now() - hit.checkedAt < SIGNING_KEY_RECHECK_MS) return hit.key
  const [row] = await db.select({ jwk: signingKeys.publicJwk }).from(signingKeys).where(and(eq(signingKeys.kid, kid), publishedAt(now)))
  if (!row) {
    cache.publicKeys.delete(kid)
    return null
  }
  const key = (await importJWK(row.jwk as JWK, TOKEN_ALGORITHM)) as CryptoKey
  cache.publicKeys.set(kid, { key, checkedAt: Date.now() })
  return key
}

export type RotatedSigningKey = { kid: string; retiredKids: string[] }

/**
 * Retires the signing key and starts signing with a new one (APIC-3). Tokens signed with the old
 * key stay valid until they expire: it stays published for their lifetime. For the system (CLI)
 * or a holder of Manage organization; audited.
 */
export async function rotateSigningKey(ctx: Ctx): Promise<RotatedSigningKey> {
  const result = await withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'org.manage')
    await tx.execute(LOCK)
    const retired = await tx.update(signingKeys).set({ retiredAt: nowOf(ctx) }).where(isNull(signingKeys.retiredAt)).returning({ kid: signingKeys.kid })
    const created = await insertKey(tx)
    const retiredKids = retired.map((r) => r.kid)
    await audit(tx, ctx, {
      action: 'signing_key.rotated',
      target: { type: 'signing_key', key: created.kid, label: `Token signing key ${created.kid}` },
      before: { signingKids: retiredKids },
      after: { signingKids: [created.kid] },
    })
    return { kid: created.kid, retiredKids }
  })
  // This process signs with the new key from its next token; other processes within a minute.
  cache.current = undefined
  return result
}
