import 'server-only'
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { env } from '../env'

// Secrets Gatehouse must be able to read back (an SMTP password, later an identity provider's
// client secret) are stored encrypted with AES-256-GCM. The key is derived from AUTH_SECRET with
// HKDF, so a copy of the database alone reveals nothing. Stored form, all parts base64url:
//
//   v1.<12-byte IV>.<ciphertext>.<16-byte tag>
//
// The version names the algorithm and the key derivation; a later format gets a new prefix and
// this module keeps reading the old ones. `context` (e.g. "email_settings.password") is bound as
// additional authenticated data: a value copied into another column does not decrypt there.

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16

/** The stored value cannot be read: tampered with, or AUTH_SECRET changed since it was written. */
export class SecretDecryptionError extends Error {
  constructor(message = 'The stored secret cannot be decrypted: it was written with another AUTH_SECRET or has been altered.') {
    super(message)
    this.name = 'SecretDecryptionError'
  }
}

let derived: { secret: string; key: Buffer } | undefined

function keyV1(): Buffer {
  const secret = env().AUTH_SECRET
  if (derived?.secret !== secret) {
    const key = Buffer.from(hkdfSync('sha256', secret, 'gatehouse', 'gatehouse/secrets/v1/aes-256-gcm', 32))
    derived = { secret, key }
  }
  return derived.key
}

export function encryptSecret(plain: string, context: string): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', keyV1(), iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return [VERSION, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.')
}

export function decryptSecret(stored: string, context: string): string {
  const parts = stored.split('.')
  if (parts[0] !== VERSION || parts.length !== 4) throw new SecretDecryptionError('The stored secret is not in a format this version of Gatehouse can read.')
  const [, ivText, ciphertextText, tagText] = parts
  const iv = Buffer.from(ivText, 'base64url')
  const tag = Buffer.from(tagText, 'base64url')
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretDecryptionError()
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyV1(), iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString('utf8')
  } catch {
    throw new SecretDecryptionError()
  }
}
