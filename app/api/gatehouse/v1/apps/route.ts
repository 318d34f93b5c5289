import { jsonBody } from '@/lib/api/body'
import { appsQuery, createAppBody, createAppFromApi, queryApps } from '@/lib/api/gatehouse/apps'
import { apiHandler } from '@/lib/api/handler'
import { parseQuery } from '@/lib/api/query'

// Apps_ListApps and Apps_CreateApp.
export const dynamic = 'force-dynamic'

export const GET = apiHandler(async (ctx, request) => Response.json(await queryApps(ctx, parseQuery(appsQuery, request))))

export const POST = apiHandler(async (ctx, request) => Response.json(await createAppFromApi(ctx, await jsonBody(request, createAppBody)), { status: 201 }))
