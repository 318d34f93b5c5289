import { createApiClient } from '@/lib/api-clients/create-api-client'
import { permissionDefs } from '@/lib/authz/catalogue'
import { loadCatalogue } from '@/lib/authz/load'
import { withTransaction } from '@/lib/context'
import { env } from '@/lib/env'
import { PreconditionFailedError, ValidationError } from '@/lib/errors'
import { getOrganization } from '@/lib/setup/organization'
import { cliCtx, defineCommand } from '../command'

/**
 * The grants for the command line's --permission and --stage: `all` is every permission of the
 * registry; stage codes limit the permissions that can be limited to stages, and leave the others
 * in every stage. Unknown slugs are left to the use case, which names them.
 */
export function cliGrants(permissions: string[], stageKeys: string[] | null): Array<{ slug: string; stageKeys: string[] | null }> {
  const slugs = permissions.some((p) => p.trim().toLowerCase() === 'all') ? permissionDefs.map((d) => d.slug) : permissions.map((p) => p.trim())
  const allowStages = new Map(permissionDefs.map((d) => [d.slug, d.allowStages]))
  return [...new Set(slugs)].map((slug) => ({ slug, stageKeys: stageKeys && allowStages.get(slug) ? stageKeys : null }))
}

export const createApiClientCommand = defineCommand({
  name: 'create-api-client',
  summary: 'Create an API client and print its client id and secret (shown once).',
  details: [
    'The secret is printed once and stored only as a hash; keep it somewhere safe. It expires after',
    '90 days unless --expires-on says otherwise (at most 24 months ahead). `--permission all` grants',
    'every permission of the registry. --stage limits the permissions that can be limited to stages',
    '(for example endusers.view) to those stages; the others hold in every stage.',
    'With --json the last line is one JSON object with exactly two fields, clientId and clientSecret.',
  ],
  options: {
    name: { type: 'string', valueName: 'NAME', required: true, description: 'Name of the API client (unique, ignoring case).' },
    permission: { type: 'string', valueName: 'SLUG', multiple: true, required: true, description: 'A permission to grant, e.g. users.manage; repeat it, or give "all".' },
    stage: { type: 'string', valueName: 'CODE', multiple: true, description: 'Limit stage-scoped permissions to this stage (DEV, QA, PRD …); repeat it for more.' },
    description: { type: 'string', valueName: 'TEXT', description: 'What the client is for.' },
    'expires-on': { type: 'string', valueName: 'YYYY-MM-DD', description: 'The day (UTC) the secret stops working; default 90 days from today.' },
  },
  async run({ options }) {
    const appUrl = env().APP_URL.replace(/\/$/, '')
    if (!(await getOrganization())) throw new PreconditionFailedError(`Gatehouse has not been set up yet. Open ${appUrl}/setup in a browser to create the organization first.`)
    const ctx = cliCtx()
    const created = await withTransaction(ctx, async (tx, ctx) => {
      let stageKeys: string[] | null = null
      if (options.stage.length > 0) {
        const catalogue = await loadCatalogue(tx)
        const byCode = new Map([...catalogue.stages.values()].map((s) => [s.code.toUpperCase(), s.key]))
        const unknown = options.stage.filter((c) => !byCode.has(c.trim().toUpperCase()))
        if (unknown.length) throw new ValidationError('Some options need attention.', { stage: [`No stage has the code ${unknown.join(', ')}; the stages are ${[...byCode.keys()].join(', ')}.`] })
        stageKeys = [...new Set(options.stage.map((c) => byCode.get(c.trim().toUpperCase())!))]
      }
      return createApiClient(ctx, {
        name: options.name,
        ...(options.description !== undefined ? { description: options.description } : {}),
        ...(options['expires-on'] !== undefined ? { expiresOn: options['expires-on'] } : {}),
        permissions: cliGrants(options.permission, stageKeys),
      })
    })
    return {
      lines: [
        `Created API client ${options.name}.`,
        `Client id:     ${created.clientId}`,
        `Client secret: ${created.clientSecret}`,
        `The secret expires at ${created.expiresAt.toISOString()}. It is shown only now: store it safely.`,
      ],
      data: { clientId: created.clientId, clientSecret: created.clientSecret },
    }
  },
})
