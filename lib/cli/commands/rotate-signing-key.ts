import { rotateSigningKey } from '@/lib/api/signing-keys'
import { cliCtx, defineCommand } from '../command'

export const rotateSigningKeyCommand = defineCommand({
  name: 'rotate-signing-key',
  summary: 'Retire the key that signs API access tokens and start signing with a new one.',
  details: [
    'Tokens already issued keep working until they expire (12 hours): the retired public key stays in the',
    'JWKS until then. A running portal signs with the new key within a minute; no restart is needed.',
    'Also the way out after AUTH_SECRET changed: the new key is encrypted with the current secret.',
    'The rotation is recorded in the audit trail.',
  ],
  options: {},
  async run() {
    const { kid, retiredKids } = await rotateSigningKey(cliCtx())
    const retired = retiredKids.length ? `Retired ${retiredKids.join(', ')}; its tokens stay valid until they expire.` : 'There was no signing key yet.'
    return { lines: [`New signing key ${kid}.`, retired], data: { kid, retiredKids } }
  },
})
