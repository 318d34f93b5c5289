import { apiClientsQuery, createApiClientOp, queryApiClients } from '@/lib/api/gatehouse/api-clients'
import { apiHandler } from '@/lib/api/handler'
import { parseQuery } from '@/lib/api/query'

// ApiClients_ListApiClients and ApiClients_CreateApiClient.
export const dynamic = 'force-dynamic'

export const GET = apiHandler(async (ctx, request) => Response.json(await queryApiClients(ctx, parseQuery(apiClientsQuery, request))))

export const POST = apiHandler(async (ctx, request) => Response.json(await createApiClientOp(ctx, request), { status: 201 }))
