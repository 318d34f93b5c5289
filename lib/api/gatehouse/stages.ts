import 'server-only'
import { z } from 'zod'
import { requirePermission } from '../../authz'
import { withTransaction, type Ctx } from '../../context'
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../../errors'
import { getSettings, type StageSettingsView } from '../../settings/get-settings'
import { renameStage } from '../../settings/rename-stage'
import { updateSelfRegistration } from '../../settings/update-self-registration'
import { previewStageSessions, updateStageSessions } from '../../settings/update-stage-sessions'
import { parse, uuidSchema } from '../../validation'
import { ConfirmationRequiredError } from '../problem'
import { limitParam, listResponse, offsetParam, querySchema } from '../query'

// Stages and their settings through the Gatehouse API, over the settings page's use cases. Each
// setting is its own sub-resource with its own permission and transaction, as on the page: the
// name (Manage stages), end-user sessions and self-registration (Manage authentication). PATCH
// fills absent fields from the current settings. Changing session limits ends the stage's live
// sessions, so when there are any it is refused (409 CONF-40902, with how many) unless confirmed.

export type StageSelfRegistrationResponse = { enabled: boolean; allowedDomains: string[]; groups: Array<{ key: string; name: string }> }
export type StageResponse = {
  key: string
  code: string
  name: string
  hostedUrls: { signUp: string; signIn: string }
  sessions: { maxMinutes: number; idleMinutes: number; liveSessions: number }
  selfRegistration: StageSelfRegistrationResponse
}
export type StageSessionsResponse = StageResponse['sessions'] & { sessionsEnded: number }

const stageParams = z.object({ key: uuidSchema })

export const stagesQuery = querySchema({ offset: offsetParam, limit: limitParam })

const minutes = (field: string) => z.number({ error: `${field} must be a whole number of minutes.` }).int(`${field} must be a whole number of minutes.`)

export const renameStageBody = z.strictObject({ name: z.string({ error: 'Enter a name.' }) })
export const stageSessionsBody = z.strictObject({
  maxMinutes: minutes('maxMinutes').optional(),
  idleMinutes: minutes('idleMinutes').optional(),
  confirm: z.boolean({ error: 'confirm must be true or false.' }).optional(),
})
export const selfRegistrationBody = z.strictObject({
  enabled: z.boolean({ error: 'enabled must be true or false.' }).optional(),
  allowedDomains: z.array(z.string(), { error: 'Send a list of domains.' }).optional(),
  groupKeys: z.array(z.string(), { error: 'Send a list of group keys.' }).optional(),
})

function stageOut(s: StageSettingsView): StageResponse {
  return {
    key: s.key,
    code: s.code,
    name: s.name,
    hostedUrls: s.hostedUrls,
    sessions: s.sessions,
    selfRegistration: {
      enabled: s.selfRegistration.enabled,
      allowedDomains: s.selfRegistration.allowedDomains,
      groups: s.selfRegistration.groups.filter((g) => g.selected).map(({ key, name }) => ({ key, name })),
    },
  }
}

/** Every stage with its settings, for a caller who may manage stages or authentication. */
async function stageViews(ctx: Ctx): Promise<StageSettingsView[]> {
  const settings = await getSettings(ctx)
  if (!settings.stages) throw new ForbiddenError('You do not have permission to see stage settings (portfolio.manage_stages or users.manage_authentication).')
  return settings.stages
}

async function stageView(ctx: Ctx, key: string): Promise<StageSettingsView> {
  const stage = (await stageViews(ctx)).find((s) => s.key === key)
  if (!stage) throw new NotFoundError('The stage')
  return stage
}

/** The session use cases take a number and a unit; the API speaks minutes, so refusals name its fields. */
async function inMinutes<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e
    const names: Record<string, string> = { maxValue: 'maxMinutes', idleValue: 'idleMinutes' }
    const renamed: FieldErrors = {}
    for (const [field, messages] of Object.entries(e.fieldErrors)) (renamed[names[field] ?? field] ??= []).push(...messages)
    throw new ValidationError(e.message, renamed)
  }
}

/** GET /stages: in pipeline order (a handful of rows, so the page is cut in memory). */
export async function queryStages(ctx: Ctx, query: z.infer<typeof stagesQuery.schema>) {
  const all = await stageViews(ctx)
  return listResponse(all.slice(query.offset, query.offset + query.limit).map(stageOut), query, all.length)
}

/** GET /stages/{key}. */
export async function readStage(ctx: Ctx, params: unknown): Promise<StageResponse> {
  const { key } = parse(stageParams, params)
  return stageOut(await stageView(ctx, key))
}

/** PATCH /stages/{key}: renames it; its code, and so its hosted pages' addresses, stay. */
export async function patchStage(ctx: Ctx, params: unknown, body: z.infer<typeof renameStageBody>): Promise<StageResponse> {
  const { key } = parse(stageParams, params)
  return withTransaction(ctx, async (_tx, ctx) => {
    await renameStage(ctx, { stageKey: key, name: body.name })
    return stageOut(await stageView(ctx, key))
  })
}

/** PATCH /stages/{key}/sessions: a real change ends every live session of the stage. */
export async function patchStageSessions(ctx: Ctx, params: unknown, body: z.infer<typeof stageSessionsBody>): Promise<StageSessionsResponse> {
  const { key } = parse(stageParams, params)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_authentication')
    const current = (await stageView(ctx, key)).sessions
    const input = {
      stageKey: key,
      maxValue: body.maxMinutes ?? current.maxMinutes,
      maxUnit: 'minutes',
      idleValue: body.idleMinutes ?? current.idleMinutes,
      idleUnit: 'minutes',
    }
    if (!body.confirm) {
      const preview = await inMinutes(previewStageSessions(ctx, input))
      if (preview.changed && preview.liveSessions > 0) {
        const n = preview.liveSessions
        throw new ConfirmationRequiredError(
          `Changing the session limits of ${preview.stageCode} ends its ${n.toLocaleString('en')} live ${n === 1 ? 'session' : 'sessions'}. Nothing was changed; send "confirm": true to go ahead.`,
          [`${n.toLocaleString('en')} live ${n === 1 ? 'session' : 'sessions'} in ${preview.stageCode} will end: everyone signed in to ${preview.stageCode}'s apps has to sign in again.`],
        )
      }
    }
    const { sessionsEnded } = await inMinutes(updateStageSessions(ctx, input))
    return { ...(await stageView(ctx, key)).sessions, sessionsEnded }
  })
}

/** PATCH /stages/{key}/self-registration: `groupKeys` replaces the groups new end-users join. */
export async function patchSelfRegistration(ctx: Ctx, params: unknown, body: z.infer<typeof selfRegistrationBody>): Promise<StageSelfRegistrationResponse> {
  const { key } = parse(stageParams, params)
  return withTransaction(ctx, async (tx, ctx) => {
    await requirePermission(tx, ctx, 'users.manage_authentication')
    const current = stageOut(await stageView(ctx, key)).selfRegistration
    await updateSelfRegistration(ctx, {
      stageKey: key,
      enabled: body.enabled ?? current.enabled,
      allowedDomains: body.allowedDomains ?? current.allowedDomains,
      groupKeys: body.groupKeys ?? current.groups.map((g) => g.key),
    })
    return stageOut(await stageView(ctx, key)).selfRegistration
  })
}
