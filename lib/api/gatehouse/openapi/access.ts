import { json, problems, ref, standardProblems } from './common'
import type { OpenApiFragment } from './types'

const TAG = 'Access checks'
const uuid = { type: 'string', format: 'uuid' }

export const accessSpec: OpenApiFragment = {
  tag: { name: TAG, description: 'Ask whether a user may do something, and why.' },
  paths: {
    '/access/check': {
      post: {
        operationId: 'Access_CheckAccess',
        summary: 'May this user use a permission, or do they hold an end-user role? With the reason',
        description: [
          'Two questions, one per call. With `permission` (a registry slug): may the user use it — at organization level, or on `appKey` and/or in `stageKey`? Organization roles count at organization scope and for their app, with stage limits, grant periods and inheritance, exactly as Gatehouse itself decides. With `appRoleKey` and `stageKey`: does the user hold that end-user role in that stage, directly or through a group?',
          '`allowed` is the answer. `reason` is one sentence saying why: for an allowed permission, the role, its scope, any stage limit and the permission that includes it; for a denied one, the closest miss (a grant limited to other stages, one whose period has not started or has ended, one for another app, one that only works at organization scope) or that no role grants it. `details` lists every grant that allows it, or, when denied, every near miss; for an end-user role, each way the user holds it (assigned directly, or through which group).',
          'The caller needs one of users.manage, users.view_members or endusers.view, and the user must be one it may see; an unknown user and one it may not see both answer 404. An unknown permission, app, end-user role or stage is a 400 naming the field.',
        ].join('\n\n'),
        tags: [TAG],
        'x-gatehouse-permission': 'users.manage, users.view_members or endusers.view, and sight of the user',
        requestBody: { required: true, content: json(ref('AccessCheckRequest')) },
        responses: {
          200: { description: 'The answer and why.', content: json(ref('AccessCheckResponse')) },
          400: problems[400],
          415: { description: 'The body is not sent as application/json.', content: json(ref('ProblemDetails')) },
          ...standardProblems,
          404: { description: 'No user with this key that the caller may see.', content: json(ref('ProblemDetails')) },
        },
      },
    },
  },
  schemas: {
    AccessCheckRequest: {
      type: 'object',
      required: ['userKey'],
      description: 'Send `permission` or `appRoleKey`, not both. `appRoleKey` needs `stageKey` (end-user roles are held per stage) and takes no `appKey` (the role belongs to its app).',
      properties: {
        userKey: { ...uuid, description: 'The user to ask about.' },
        permission: { type: 'string', maxLength: 100, nullable: true, description: 'A permission slug from the registry, e.g. `endusers.manage_access`.' },
        appRoleKey: { ...uuid, nullable: true, description: 'An end-user role (the app role’s key).' },
        appKey: { ...uuid, nullable: true, description: 'With `permission`: on this app (app-scope roles count for their app only).' },
        stageKey: { ...uuid, nullable: true, description: 'In this stage. Without it, a stage-limited grant does not count (the reason says to name a stage).' },
      },
      additionalProperties: false,
    },
    AccessCheckResponse: {
      type: 'object',
      required: ['allowed', 'question', 'reason', 'details', 'user'],
      properties: {
        allowed: { type: 'boolean' },
        question: { type: 'string', description: 'The question answered, in words.' },
        reason: { type: 'string', description: 'Why, in one sentence starting “Allowed:” or “Denied:”.' },
        details: { type: 'array', items: { type: 'string' }, description: 'Every grant that allows it, or every near miss when denied.' },
        user: {
          type: 'object',
          required: ['key', 'label'],
          properties: { key: uuid, label: { type: 'string', description: 'The user’s email, or name without one.' } },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
}
