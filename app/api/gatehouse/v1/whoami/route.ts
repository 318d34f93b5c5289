import { apiHandler } from '@/lib/api/handler'
import { whoAmI } from '@/lib/api/whoami'

// The calling API client and its current permissions: a check that credentials and the token work.
export const dynamic = 'force-dynamic'

export const GET = apiHandler(async (ctx) => Response.json(await whoAmI(ctx)))
