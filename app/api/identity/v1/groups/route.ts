import { jsonBody } from '@/lib/api/body'
import { apiHandler } from '@/lib/api/handler'
import { createGroupBody, createGroupFromApi, groupsQuery, queryGroups } from '@/lib/api/identity/groups'
import { parseQuery } from '@/lib/api/query'

// Group_QueryGroups (API-19) and Group_CreateGroup (API-18).
export const dynamic = 'force-dynamic'

export const GET = apiHandler(async (ctx, request) => Response.json(await queryGroups(ctx, parseQuery(groupsQuery, request))), { api: 'identity' })

export const POST = apiHandler(async (ctx, request) => Response.json(await createGroupFromApi(ctx, await jsonBody(request, createGroupBody)), { status: 201 }), { api: 'identity' })
