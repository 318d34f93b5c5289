import { json, keyParameter, offsetLimit, pageOf, problems, ref, sortParameter, standardProblems } from './common'
import type { JsonSchema, OpenApiFragment, OpenApiParameter, OpenApiResponse } from './types'

const TAG = 'Apps'

const appKey = keyParameter('key', 'The app’s key.')
const roleKey = keyParameter('roleKey', 'The end-user role’s key (its externalKey).')
const confirmParameter: OpenApiParameter = {
  name: 'confirm',
  in: 'query',
  description: '`true` to go ahead even though users or groups lose access. Without it such a deletion is refused with 409 (GH-GH-CONF-40902) saying who would lose what.',
  schema: { type: 'string', enum: ['true', 'false'], default: 'false' },
}
const nameContains: OpenApiParameter = { name: 'nameContains', in: 'query', description: 'Only names containing this text, ignoring case.', schema: { type: 'string', maxLength: 200 } }

const body = (schema: string) => ({ required: true, content: json(ref(schema)) })
const unsupportedMediaType: OpenApiResponse = { description: 'The body is not application/json.', content: json(ref('ProblemDetails')) }
const confirmationNeeded = (what: string): OpenApiResponse => ({
  description: `${what} Nothing was changed. GH-GH-CONF-40902: it would take access away and was not confirmed; \`errors.confirm\` lists who would lose what (one line per stage). GH-GH-CONF-40901: a name is taken, or \`version\` is not the current one.`,
  content: json(ref('ProblemDetails')),
})

const instant = { type: 'string', format: 'date-time' }
const stage: JsonSchema = {
  type: 'object',
  required: ['key', 'code', 'name'],
  properties: { key: { type: 'string', format: 'uuid' }, code: { type: 'string', description: 'DEV, QA, PRD…: fixed.' }, name: { type: 'string' } },
  additionalProperties: false,
}
const appFields = {
  key: { type: 'string', format: 'uuid' },
  name: { type: 'string' },
  description: { type: 'string' },
  version: { type: 'integer', description: 'Goes up with every change; send it back in a PATCH to refuse overwriting someone else’s change.' },
  stages: { type: 'array', items: ref('AppsStage'), description: 'The stages the app is deployed to, in pipeline order.' },
  createdAt: instant,
  updatedAt: instant,
}

export const appsSpec: OpenApiFragment = {
  tag: { name: TAG, description: 'Apps and their end-user roles, per stage.' },
  schemas: {
    AppsStage: stage,
    AppsRoleInstance: {
      type: 'object',
      description: 'An end-user role in one stage: what users and groups are granted.',
      required: ['key', 'stageKey', 'stageCode'],
      properties: {
        key: { type: 'string', format: 'uuid', description: 'The instance’s key: the identity API’s application role key (applicationRoleKeys of users and groups).' },
        stageKey: { type: 'string', format: 'uuid', description: 'The identity API’s environmentKey.' },
        stageCode: { type: 'string' },
      },
      additionalProperties: false,
    },
    AppsAppRole: {
      type: 'object',
      description: 'An end-user role, defined once for its app, with one instance in every stage the app is deployed to.',
      required: ['key', 'name', 'description', 'isPublic', 'claimName', 'version', 'instances'],
      properties: {
        key: { type: 'string', format: 'uuid', description: 'The role’s key: the externalKey its instances share.' },
        name: { type: 'string' },
        description: { type: 'string' },
        isPublic: { type: 'boolean' },
        claimName: { type: 'string', description: 'The value tokens carry for this role.' },
        version: { type: 'integer' },
        instances: { type: 'array', items: ref('AppsRoleInstance'), description: 'In pipeline order.' },
      },
      additionalProperties: false,
    },
    AppsAppSummary: {
      type: 'object',
      required: ['key', 'name', 'description', 'version', 'stages', 'roleCount', 'createdAt', 'updatedAt'],
      properties: { ...appFields, roleCount: { type: 'integer', description: 'End-user roles the app defines.' } },
      additionalProperties: false,
    },
    AppsApp: {
      type: 'object',
      required: ['key', 'name', 'description', 'version', 'stages', 'roles', 'createdAt', 'updatedAt'],
      properties: { ...appFields, roles: { type: 'array', items: ref('AppsAppRole'), description: 'By name (at most 1,000; list more with GET /apps/{key}/roles).' } },
      additionalProperties: false,
    },
    AppsCreateAppRequest: {
      type: 'object',
      required: ['name', 'stageKeys'],
      properties: {
        name: { type: 'string', maxLength: 100, description: 'Unique among apps, ignoring case.' },
        description: { type: 'string', maxLength: 1000 },
        stageKeys: { type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 1, description: 'The stages to deploy the app to (GET /stages lists them).' },
      },
      additionalProperties: false,
    },
    AppsUpdateAppRequest: {
      type: 'object',
      description: 'Absent fields stay as they are.',
      properties: {
        name: { type: 'string', maxLength: 100 },
        description: { type: 'string', maxLength: 1000 },
        stageKeys: {
          type: 'array',
          items: { type: 'string', format: 'uuid' },
          minItems: 1,
          description: 'Every stage the app is to be deployed to. A new stage gets an instance of every role; a stage left out loses the app’s instances there, with their grants.',
        },
        version: { type: 'integer', description: 'The version this change starts from; when absent, the current one.' },
        confirm: { type: 'boolean', description: '`true` to undeploy even though users or groups lose roles.' },
      },
      additionalProperties: false,
    },
    AppsCreateAppRoleRequest: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', maxLength: 100, description: 'Unique within the app, ignoring case.' },
        description: { type: 'string', maxLength: 1000 },
        isPublic: { type: 'boolean', default: false },
        claimName: { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9_.-]*$', description: 'Default: derived from the name.' },
      },
      additionalProperties: false,
    },
    AppsUpdateAppRoleRequest: {
      type: 'object',
      description: 'Absent fields stay as they are; the instances keep their keys.',
      properties: {
        name: { type: 'string', maxLength: 100 },
        description: { type: 'string', maxLength: 1000 },
        isPublic: { type: 'boolean' },
        claimName: { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9_.-]*$' },
        version: { type: 'integer', description: 'The version this change starts from; when absent, the current one.' },
      },
      additionalProperties: false,
    },
  },
  paths: {
    '/apps': {
      get: {
        operationId: 'Apps_ListApps',
        summary: 'List apps',
        description: 'The apps the client may open: every app with Open at organization scope, else those its app-scope grants cover.',
        tags: [TAG],
        'x-gatehouse-permission': 'asset.open',
        parameters: [
          nameContains,
          { name: 'stageKey', in: 'query', description: 'Only apps deployed to this stage.', schema: { type: 'string', format: 'uuid' } },
          sortParameter(['name', 'createdAt'], 'name'),
          ...offsetLimit,
        ],
        responses: { 200: { description: 'A page of apps.', content: json(pageOf(ref('AppsAppSummary'))) }, 400: problems[400], ...standardProblems },
      },
      post: {
        operationId: 'Apps_CreateApp',
        summary: 'Register an app',
        description: 'Registers an app deployed to the given stages. It has no end-user roles yet.',
        tags: [TAG],
        'x-gatehouse-permission': 'asset.create',
        requestBody: body('AppsCreateAppRequest'),
        responses: {
          201: { description: 'The new app.', content: json(ref('AppsApp')) },
          400: problems[400],
          409: { description: 'Another app has this name (GH-GH-CONF-40901).', content: json(ref('ProblemDetails')) },
          415: unsupportedMediaType,
          ...standardProblems,
        },
      },
    },
    '/apps/{key}': {
      get: {
        operationId: 'Apps_GetApp',
        summary: 'An app with its stages and end-user roles',
        tags: [TAG],
        'x-gatehouse-permission': 'asset.open',
        parameters: [appKey],
        responses: { 200: { description: 'The app.', content: json(ref('AppsApp')) }, 400: problems[400], 404: problems[404], ...standardProblems },
      },
      patch: {
        operationId: 'Apps_UpdateApp',
        summary: 'Rename, describe or (re)deploy an app',
        description:
          'Undeploying from a stage deletes the app’s role instances there, which revokes them from the users and groups holding them: when anyone holds one the change is refused (409, GH-GH-CONF-40902) unless `confirm` is true.',
        tags: [TAG],
        'x-gatehouse-permission': 'asset.change',
        parameters: [appKey],
        requestBody: body('AppsUpdateAppRequest'),
        responses: {
          200: { description: 'The app after the change.', content: json(ref('AppsApp')) },
          400: problems[400],
          404: problems[404],
          409: confirmationNeeded('Refused.'),
          415: unsupportedMediaType,
          ...standardProblems,
        },
      },
      delete: {
        operationId: 'Apps_DeleteApp',
        summary: 'Delete an app',
        description:
          'Deletes the app with its end-user roles and their instances; members lose their organization roles for this app. When any user, group or member would lose access, refused (409, GH-GH-CONF-40902) unless `confirm=true`.',
        tags: [TAG],
        'x-gatehouse-permission': 'asset.delete',
        parameters: [appKey, confirmParameter],
        responses: { 204: { description: 'Deleted.' }, 400: problems[400], 404: problems[404], 409: confirmationNeeded('Refused.'), ...standardProblems },
      },
    },
    '/apps/{key}/roles': {
      get: {
        operationId: 'Apps_ListAppRoles',
        summary: 'An app’s end-user roles with their per-stage instances',
        tags: [TAG],
        'x-gatehouse-permission': 'asset.open',
        parameters: [appKey, nameContains, sortParameter(['name'], 'name'), ...offsetLimit],
        responses: { 200: { description: 'A page of roles.', content: json(pageOf(ref('AppsAppRole'))) }, 400: problems[400], 404: problems[404], ...standardProblems },
      },
      post: {
        operationId: 'Apps_CreateAppRole',
        summary: 'Define an end-user role',
        description: 'Creates the role and its instance in every stage the app is deployed to, each with its own key.',
        tags: [TAG],
        'x-gatehouse-permission': 'asset.change',
        parameters: [appKey],
        requestBody: body('AppsCreateAppRoleRequest'),
        responses: {
          201: { description: 'The new role.', content: json(ref('AppsAppRole')) },
          400: problems[400],
          404: problems[404],
          409: { description: 'The app already has a role with this name (GH-GH-CONF-40901).', content: json(ref('ProblemDetails')) },
          415: unsupportedMediaType,
          ...standardProblems,
        },
      },
    },
    '/apps/{key}/roles/{roleKey}': {
      get: {
        operationId: 'Apps_GetAppRole',
        summary: 'One end-user role of an app',
        tags: [TAG],
        'x-gatehouse-permission': 'asset.open',
        parameters: [appKey, roleKey],
        responses: { 200: { description: 'The role.', content: json(ref('AppsAppRole')) }, 400: problems[400], 404: problems[404], ...standardProblems },
      },
      patch: {
        operationId: 'Apps_UpdateAppRole',
        summary: 'Change an end-user role',
        tags: [TAG],
        'x-gatehouse-permission': 'asset.change',
        parameters: [appKey, roleKey],
        requestBody: body('AppsUpdateAppRoleRequest'),
        responses: {
          200: { description: 'The role after the change.', content: json(ref('AppsAppRole')) },
          400: problems[400],
          404: problems[404],
          409: { description: 'The name is taken in this app, or `version` is not the current one (GH-GH-CONF-40901).', content: json(ref('ProblemDetails')) },
          415: unsupportedMediaType,
          ...standardProblems,
        },
      },
      delete: {
        operationId: 'Apps_DeleteAppRole',
        summary: 'Delete an end-user role',
        description: 'Deletes the role with its instance in every stage, revoking it from users and groups: when anyone holds it, refused (409, GH-GH-CONF-40902) unless `confirm=true`.',
        tags: [TAG],
        'x-gatehouse-permission': 'asset.change',
        parameters: [appKey, roleKey, confirmParameter],
        responses: { 204: { description: 'Deleted.' }, 400: problems[400], 404: problems[404], 409: confirmationNeeded('Refused.'), ...standardProblems },
      },
    },
  },
}
