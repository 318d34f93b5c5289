import { json, standardProblems } from './common'
import type { OpenApiFragment } from './types'

export const whoamiSpec: OpenApiFragment = {
  tag: { name: 'Credentials', description: 'Check that an API client’s token works and what it may do.' },
  paths: {
    '/whoami': {
      get: {
        operationId: 'WhoAmI',
        summary: 'The calling API client and its current permissions',
        description: 'Read from the database on every call, so a permission change shows at once. `stageKeys` null means every stage.',
        tags: ['Credentials'],
        responses: {
          200: {
            description: 'The client.',
            content: json({
              type: 'object',
              required: ['clientId', 'name', 'permissions'],
              properties: {
                clientId: { type: 'string' },
                name: { type: 'string' },
                permissions: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['slug', 'stageKeys'],
                    properties: { slug: { type: 'string' }, stageKeys: { type: 'array', items: { type: 'string', format: 'uuid' }, nullable: true } },
                    additionalProperties: false,
                  },
                },
              },
              additionalProperties: false,
            }),
          },
          ...standardProblems,
        },
      },
    },
  },
}
