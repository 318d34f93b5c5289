import { json, keyParameter, offsetLimit, pageOf, problems, ref, sortParameter, standardProblems } from './common'
import type { JsonSchema, OpenApiFragment, OpenApiOperation } from './types'

const TAG = 'API clients'
const PERMISSION = 'users.manage_api_clients'
const key = keyParameter('key', 'The API client’s key (not its client id).')

const STATUS: JsonSchema = {
  type: 'string',
  enum: ['Available', 'Needs attention', 'Expired', 'Suspended'],
  description:
    'Derived, never stored: Suspended when suspended; Expired when no secret works; Needs attention when the client holds no permission or its secret expires within 14 days; otherwise Available.',
}

const dateTime = (description?: string, nullable = false): JsonSchema => ({ type: 'string', format: 'date-time', ...(nullable ? { nullable: true } : {}), ...(description ? { description } : {}) })

const grant: JsonSchema = {
  type: 'object',
  required: ['slug'],
  properties: {
    slug: { type: 'string', description: 'A permission from the registry, e.g. `users.view_members` (the same slugs as organization roles).' },
    stageKeys: { type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 1, nullable: true, description: 'The stages it is limited to; absent or null means every stage. Only stage-scoped permissions take a limit.' },
  },
  additionalProperties: false,
}

const op = (o: Omit<OpenApiOperation, 'tags' | 'x-gatehouse-permission'>): OpenApiOperation => ({ ...o, tags: [TAG], 'x-gatehouse-permission': PERMISSION })

const clientResponse = { description: 'The API client as it now is.', content: json(ref('ApiClient')) }
const notJson = { description: 'The body is not sent as application/json.', content: json(ref('ProblemDetails')) }
const escalation =
  'An API client calling this may not give out a permission (or a stage of one) it does not hold itself: that is a 403 naming what it lacks.'

export const apiClientsSpec: OpenApiFragment = {
  tag: { name: TAG, description: 'API clients: credentials for scripts, their permissions and secrets.' },
  paths: {
    '/api-clients': {
      get: op({
        operationId: 'ApiClients_ListApiClients',
        summary: 'List API clients',
        description: 'Every API client of the organization with its derived status, never a secret.',
        parameters: [
          { name: 'nameOrClientIdContains', in: 'query', description: 'Part of the name (any case) or of the client id.', schema: { type: 'string', maxLength: 100 } },
          {
            name: 'status',
            in: 'query',
            description: 'Only clients with this status. Case-insensitive; `needs-attention` works as well as `Needs attention`.',
            schema: { type: 'string', enum: ['Available', 'Needs attention', 'Expired', 'Suspended', 'available', 'needs-attention', 'expired', 'suspended'] },
          },
          sortParameter(['name', 'secretExpiresAt'], 'name'),
          ...offsetLimit,
        ],
        responses: { 200: { description: 'A page of API clients.', content: json(pageOf(ref('ApiClientSummary'))) }, 400: problems[400], ...standardProblems },
      }),
      post: op({
        operationId: 'ApiClients_CreateApiClient',
        summary: 'Create an API client; the answer holds its secret, shown this once',
        description: `Creates the client with its first secret. Only a hash of the secret is kept: store it now, or rotate it later. An organization has at most 35 API clients unless it says otherwise (409 past that). ${escalation}`,
        requestBody: { required: true, content: json(ref('ApiClientCreateRequest')) },
        responses: {
          201: { description: 'Created.', content: json(ref('ApiClientCreated')) },
          400: problems[400],
          415: notJson,
          ...standardProblems,
          403: { description: 'The API client lacks Manage API clients, or asks for permissions it does not hold.', content: json(ref('ProblemDetails')) },
          409: { description: 'The name is taken (see `errors.name`), or the organization has all the API clients it may have.', content: json(ref('ProblemDetails')) },
        },
      }),
    },
    '/api-clients/{key}': {
      get: op({
        operationId: 'ApiClients_GetApiClient',
        summary: 'Read an API client (never its secret)',
        parameters: [key],
        responses: { 200: { description: 'The client.', content: json(ref('ApiClient')) }, 400: problems[400], ...standardProblems, 404: problems[404] },
      }),
      patch: op({
        operationId: 'ApiClients_UpdateApiClient',
        summary: 'Rename or redescribe an API client',
        description:
          'Absent or null fields stay as they are. Send the `version` you read to refuse overwriting someone else’s change (409); without it the current version is used, so the last write wins.',
        parameters: [key],
        requestBody: { required: true, content: json(ref('ApiClientUpdateRequest')) },
        responses: {
          200: clientResponse,
          400: problems[400],
          415: notJson,
          ...standardProblems,
          404: problems[404],
          409: { description: 'The name is taken, or `version` is not the current one.', content: json(ref('ProblemDetails')) },
        },
      }),
      delete: op({
        operationId: 'ApiClients_DeleteApiClient',
        summary: 'Delete an API client',
        description: 'Its secrets and permissions go with it and its tokens stop working at once. An API client cannot delete itself (409).',
        parameters: [key],
        responses: { 204: { description: 'Deleted.' }, 400: problems[400], ...standardProblems, 404: problems[404], 409: { description: 'The client tried to delete itself.', content: json(ref('ProblemDetails')) } },
      }),
    },
    '/api-clients/{key}/permissions': {
      put: op({
        operationId: 'ApiClients_SetApiClientPermissions',
        summary: 'Replace an API client’s permissions',
        description: `The new set applies from the client’s next call, whatever tokens it holds. Send \`version\` to refuse overwriting someone else’s change (409). ${escalation} Taking permissions away is always allowed.`,
        parameters: [key],
        requestBody: { required: true, content: json(ref('ApiClientPermissionsRequest')) },
        responses: {
          200: clientResponse,
          400: problems[400],
          415: notJson,
          ...standardProblems,
          403: { description: 'The API client lacks Manage API clients, or adds permissions it does not hold.', content: json(ref('ProblemDetails')) },
          404: problems[404],
          409: { description: '`version` is not the current one.', content: json(ref('ProblemDetails')) },
        },
      }),
    },
    '/api-clients/{key}/secrets': {
      post: op({
        operationId: 'ApiClients_RotateApiClientSecret',
        summary: 'Rotate the secret; the answer holds the new one, shown this once',
        description:
          'The client id stays. The secrets it replaces stop at once, or after `overlapHours` (up to 72) in which old and new both work, so a deployment can switch without downtime. The body may be left out. An API client may rotate its own secret, but not that of a client holding permissions it does not hold itself (403): the new secret would make it that client.',
        parameters: [key],
        requestBody: { required: false, content: json(ref('ApiClientSecretRequest')) },
        responses: {
          201: { description: 'The new secret.', content: json(ref('ApiClientSecret')) },
          400: problems[400],
          415: notJson,
          ...standardProblems,
          403: { description: 'The API client lacks Manage API clients, or the target holds permissions the caller does not.', content: json(ref('ProblemDetails')) },
          404: problems[404],
        },
      }),
    },
    '/api-clients/{key}/suspend': {
      post: op({
        operationId: 'ApiClients_SuspendApiClient',
        summary: 'Suspend an API client',
        description: 'Its secret and every token it holds stop working at once. Suspending a suspended client changes nothing. An API client cannot suspend itself (409): it could not resume.',
        parameters: [key],
        responses: { 200: clientResponse, 400: problems[400], ...standardProblems, 404: problems[404], 409: { description: 'The client tried to suspend itself.', content: json(ref('ProblemDetails')) } },
      }),
    },
    '/api-clients/{key}/resume': {
      post: op({
        operationId: 'ApiClients_ResumeApiClient',
        summary: 'Resume a suspended API client',
        description: 'Its secret, if not expired, and its unexpired tokens work again; with an expired secret its status is Expired until the secret is rotated. Resuming an active client changes nothing.',
        parameters: [key],
        responses: { 200: clientResponse, 400: problems[400], ...standardProblems, 404: problems[404] },
      }),
    },
  },
  schemas: {
    ApiClientSummary: {
      type: 'object',
      required: ['key', 'name', 'clientId', 'description', 'status', 'secretExpiresAt', 'permissionCount'],
      properties: {
        key: { type: 'string', format: 'uuid' },
        name: { type: 'string' },
        clientId: { type: 'string', description: 'What the client sends to the token endpoint as client_id.' },
        description: { type: 'string' },
        status: STATUS,
        secretExpiresAt: dateTime('When the secret in use stops working; null when none works any more.', true),
        permissionCount: { type: 'integer', format: 'int32' },
      },
      additionalProperties: false,
    },
    ApiClient: {
      type: 'object',
      required: ['key', 'clientId', 'name', 'description', 'version', 'status', 'suspendedAt', 'createdAt', 'updatedAt', 'permissions', 'secret', 'retiringSecrets'],
      properties: {
        key: { type: 'string', format: 'uuid' },
        clientId: { type: 'string' },
        name: { type: 'string' },
        description: { type: 'string' },
        version: { type: 'integer', format: 'int32', description: 'Changes with every edit; send it back to detect concurrent changes.' },
        status: STATUS,
        suspendedAt: dateTime(undefined, true),
        createdAt: dateTime(),
        updatedAt: dateTime(),
        permissions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['slug', 'stageKeys'],
            properties: { slug: { type: 'string' }, stageKeys: { type: 'array', items: { type: 'string', format: 'uuid' }, nullable: true, description: 'null: every stage.' } },
            additionalProperties: false,
          },
        },
        secret: {
          type: 'object',
          nullable: true,
          description: 'The secret in use, described; never its value. null when none works any more.',
          required: ['expiresAt', 'remind', 'remindedAt', 'createdAt'],
          properties: {
            expiresAt: dateTime('The end of its expiry day, UTC.'),
            remind: { type: 'boolean', description: 'Whether holders of Manage API clients get an email 14 days before it expires.' },
            remindedAt: dateTime(undefined, true),
            createdAt: dateTime(),
          },
          additionalProperties: false,
        },
        retiringSecrets: {
          type: 'array',
          description: 'Replaced secrets still inside their rotation overlap.',
          items: { type: 'object', required: ['retiresAt', 'createdAt'], properties: { retiresAt: dateTime(), createdAt: dateTime() }, additionalProperties: false },
        },
      },
      additionalProperties: false,
    },
    ApiClientCreateRequest: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', maxLength: 100, description: 'Unique in the organization, whatever the case.' },
        description: { type: 'string', maxLength: 500, nullable: true },
        expiresOn: { type: 'string', format: 'date', nullable: true, description: 'The secret’s last day (UTC): today at the earliest, 24 months ahead at the latest. Default: 90 days from today.' },
        remind: { type: 'boolean', nullable: true, description: 'Email a reminder 14 days before the secret expires. Default true.' },
        permissions: { type: 'array', items: grant, maxItems: 500, nullable: true, description: 'Default: none (the client then needs attention).' },
      },
      additionalProperties: false,
    },
    ApiClientUpdateRequest: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 100, nullable: true },
        description: { type: 'string', maxLength: 500, nullable: true },
        version: { type: 'integer', format: 'int32', minimum: 1, nullable: true },
      },
      additionalProperties: false,
    },
    ApiClientPermissionsRequest: {
      type: 'object',
      required: ['permissions'],
      properties: { permissions: { type: 'array', items: grant, maxItems: 500 }, version: { type: 'integer', format: 'int32', minimum: 1, nullable: true } },
      additionalProperties: false,
    },
    ApiClientSecretRequest: {
      type: 'object',
      properties: {
        expiresOn: { type: 'string', format: 'date', nullable: true, description: 'As on creation; default 90 days from today.' },
        remind: { type: 'boolean', nullable: true, description: 'Default true.' },
        overlapHours: { type: 'integer', minimum: 0, maximum: 72, nullable: true, description: 'How long the replaced secrets keep working. Default 0: they stop at once.' },
      },
      additionalProperties: false,
    },
    ApiClientCreated: {
      type: 'object',
      required: ['key', 'clientId', 'clientSecret', 'secretExpiresAt'],
      properties: {
        key: { type: 'string', format: 'uuid' },
        clientId: { type: 'string' },
        clientSecret: { type: 'string', description: 'Shown only in this answer; Gatehouse keeps a hash.' },
        secretExpiresAt: dateTime(),
      },
      additionalProperties: false,
    },
    ApiClientSecret: {
      type: 'object',
      required: ['clientId', 'clientSecret', 'secretExpiresAt', 'previousSecretsRetireAt'],
      properties: {
        clientId: { type: 'string' },
        clientSecret: { type: 'string', description: 'Shown only in this answer.' },
        secretExpiresAt: dateTime(),
        previousSecretsRetireAt: dateTime('When the replaced secrets stop working; the moment of rotation without overlap.'),
      },
      additionalProperties: false,
    },
  },
}
