import { json, keyParameter, offsetLimit, pageOf, problems, ref, standardProblems } from './common'
import type { JsonSchema, OpenApiFragment, OpenApiResponse } from './types'

const TAG = 'Stages'
const READ_PERMISSION = 'portfolio.manage_stages or users.manage_authentication'

const stageKey = keyParameter('key', 'The stage’s key (the identity API’s environmentKey).')
const body = (schema: string) => ({ required: true, content: json(ref(schema)) })
const unsupportedMediaType: OpenApiResponse = { description: 'The body is not application/json.', content: json(ref('ProblemDetails')) }

const sessions: JsonSchema = {
  type: 'object',
  description: 'How long end-user sessions of the stage last.',
  required: ['maxMinutes', 'idleMinutes', 'liveSessions'],
  properties: {
    maxMinutes: { type: 'integer', minimum: 60, maximum: 64800, description: 'At most this long after sign-in.' },
    idleMinutes: { type: 'integer', minimum: 5, maximum: 64800, description: 'Ended after this long without activity; at most maxMinutes.' },
    liveSessions: { type: 'integer', description: 'Sessions open now: what changing the limits would end.' },
  },
  additionalProperties: false,
}

export const stagesSpec: OpenApiFragment = {
  tag: { name: TAG, description: 'Stages and their sign-in, session and self-registration settings.' },
  schemas: {
    StagesSessions: sessions,
    StagesSelfRegistration: {
      type: 'object',
      description: 'Sign-up on the stage’s hosted pages.',
      required: ['enabled', 'allowedDomains', 'groups'],
      properties: {
        enabled: { type: 'boolean' },
        allowedDomains: { type: 'array', items: { type: 'string' }, description: 'Email domains a new registration must belong to; empty: any.' },
        groups: {
          type: 'array',
          description: 'Groups of this stage every new end-user joins, by name.',
          items: { type: 'object', required: ['key', 'name'], properties: { key: { type: 'string', format: 'uuid' }, name: { type: 'string' } }, additionalProperties: false },
        },
      },
      additionalProperties: false,
    },
    StagesStage: {
      type: 'object',
      required: ['key', 'code', 'name', 'hostedUrls', 'sessions', 'selfRegistration'],
      properties: {
        key: { type: 'string', format: 'uuid', description: 'The identity API’s environmentKey.' },
        code: { type: 'string', description: 'DEV, QA, PRD…: fixed, part of the hosted pages’ addresses.' },
        name: { type: 'string' },
        hostedUrls: {
          type: 'object',
          required: ['signUp', 'signIn'],
          properties: { signUp: { type: 'string', format: 'uri' }, signIn: { type: 'string', format: 'uri' } },
          additionalProperties: false,
        },
        sessions: ref('StagesSessions'),
        selfRegistration: ref('StagesSelfRegistration'),
      },
      additionalProperties: false,
    },
    StagesSessionsChange: {
      type: 'object',
      required: ['maxMinutes', 'idleMinutes', 'liveSessions', 'sessionsEnded'],
      properties: { ...(sessions.properties as object), sessionsEnded: { type: 'integer', description: 'Live sessions this change ended (0 when nothing changed).' } },
      additionalProperties: false,
    },
    StagesRenameRequest: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', maxLength: 60, description: 'Unique among stages, ignoring case.' } },
      additionalProperties: false,
    },
    StagesSessionsRequest: {
      type: 'object',
      description: 'Absent fields stay as they are.',
      properties: {
        maxMinutes: { type: 'integer', minimum: 60, maximum: 64800 },
        idleMinutes: { type: 'integer', minimum: 5, maximum: 64800 },
        confirm: { type: 'boolean', description: '`true` to go ahead even though live sessions end.' },
      },
      additionalProperties: false,
    },
    StagesSelfRegistrationRequest: {
      type: 'object',
      description: 'Absent fields stay as they are.',
      properties: {
        enabled: { type: 'boolean' },
        allowedDomains: { type: 'array', maxItems: 50, items: { type: 'string' }, description: 'Replaces the list; empty allows any domain.' },
        groupKeys: { type: 'array', maxItems: 500, items: { type: 'string', format: 'uuid' }, description: 'Replaces the groups new end-users join; only groups of this stage.' },
      },
      additionalProperties: false,
    },
  },
  paths: {
    '/stages': {
      get: {
        operationId: 'Stages_ListStages',
        summary: 'List stages with their settings',
        description: 'In pipeline order.',
        tags: [TAG],
        'x-gatehouse-permission': READ_PERMISSION,
        parameters: offsetLimit,
        responses: { 200: { description: 'A page of stages.', content: json(pageOf(ref('StagesStage'))) }, 400: problems[400], ...standardProblems },
      },
    },
    '/stages/{key}': {
      get: {
        operationId: 'Stages_GetStage',
        summary: 'A stage with its settings',
        tags: [TAG],
        'x-gatehouse-permission': READ_PERMISSION,
        parameters: [stageKey],
        responses: { 200: { description: 'The stage.', content: json(ref('StagesStage')) }, 400: problems[400], 404: problems[404], ...standardProblems },
      },
      patch: {
        operationId: 'Stages_RenameStage',
        summary: 'Rename a stage',
        description: 'Its code, and so its hosted pages’ addresses, stay.',
        tags: [TAG],
        'x-gatehouse-permission': 'portfolio.manage_stages',
        parameters: [stageKey],
        requestBody: body('StagesRenameRequest'),
        responses: {
          200: { description: 'The stage after the change.', content: json(ref('StagesStage')) },
          400: problems[400],
          404: problems[404],
          409: { description: 'Another stage has this name (GH-GH-CONF-40901).', content: json(ref('ProblemDetails')) },
          415: unsupportedMediaType,
          ...standardProblems,
        },
      },
    },
    '/stages/{key}/sessions': {
      patch: {
        operationId: 'Stages_UpdateStageSessions',
        summary: 'Change how long end-user sessions last',
        description:
          'A change ends every live session of the stage, so nobody keeps one under the old limits. When there are live sessions it is refused (409, GH-GH-CONF-40902, `errors.confirm` says how many) unless `confirm` is true.',
        tags: [TAG],
        'x-gatehouse-permission': 'users.manage_authentication',
        parameters: [stageKey],
        requestBody: body('StagesSessionsRequest'),
        responses: {
          200: { description: 'The limits now, and how many sessions the change ended.', content: json(ref('StagesSessionsChange')) },
          400: problems[400],
          404: problems[404],
          409: { description: 'Live sessions would end and the change was not confirmed (GH-GH-CONF-40902); nothing was changed.', content: json(ref('ProblemDetails')) },
          415: unsupportedMediaType,
          ...standardProblems,
        },
      },
    },
    '/stages/{key}/self-registration': {
      patch: {
        operationId: 'Stages_UpdateSelfRegistration',
        summary: 'Change self-registration on a stage',
        tags: [TAG],
        'x-gatehouse-permission': 'users.manage_authentication',
        parameters: [stageKey],
        requestBody: body('StagesSelfRegistrationRequest'),
        responses: {
          200: { description: 'Self-registration now.', content: json(ref('StagesSelfRegistration')) },
          400: problems[400],
          404: problems[404],
          415: unsupportedMediaType,
          ...standardProblems,
        },
      },
    },
  },
}
