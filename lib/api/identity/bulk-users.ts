import { z } from 'zod'
import type { BulkUserErrorReason } from '@/db/schema'
import type { Ctx } from '../../context'
import { ValidationError, type FieldErrors } from '../../errors'
import { getBulkUserOperation, MAX_BULK_RECORDS, submitBulkUserCreation, type BulkUserOperationView } from '../../users/bulk-create-users'
import type { CreateUserInput } from '../../users/create-user'
import { errorCode } from '../problem'
import { createUserBody, createUserInputFromApi } from './users'

// ODC's bulk user creation (API-4, API-5, API-S13) over lib/users/bulk-create-users.ts.

const countMessage = `Send between 1 and ${MAX_BULK_RECORDS} records.`

/** UserProfileCreateApiRequestBulkApiRequest (additionalProperties: false); each record as for POST /users. */
export const bulkCreateUsersBody = z.strictObject({
  records: z.array(createUserBody, { error: countMessage }).min(1, countMessage).max(MAX_BULK_RECORDS, countMessage),
})

/**
 * POST /users/bulk. The whole request is validated before it is accepted, each record exactly as
 * POST /users validates its body, and a record that fails makes it a 400 naming the record
 * (`records.3.email`): an accepted operation holds only records that can be created, and the
 * per-record errors it reports are those only processing can find (an email already taken).
 */
export async function submitBulkUsersFromApi(ctx: Ctx, body: z.infer<typeof bulkCreateUsersBody>) {
  const refused: FieldErrors = {}
  const records: CreateUserInput[] = []
  body.records.forEach((record, i) => {
    try {
      records.push(createUserInputFromApi(record))
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      for (const [field, messages] of Object.entries(error.fieldErrors)) refused[`records.${i}.${field}`] = messages
    }
  })
  if (Object.keys(refused).length) throw new ValidationError('Some records need attention.', refused)
  return toBulkOperationResponse(await submitBulkUserCreation(ctx, { records }))
}

export async function getBulkUsersFromApi(ctx: Ctx, key: string) {
  return toBulkOperationResponse(await getBulkUserOperation(ctx, { key }))
}

// A record that lost to an existing user is a conflict; anything else was our failure.
const recordErrorCode = (reason: BulkUserErrorReason | string) => errorCode('identity', reason === 'EmailTaken' ? 409 : 500)

/** BulkUserProfileOperationApiRecordBulkApiResponse: per-record outcomes only once finished (API-5). */
export function toBulkOperationResponse(op: BulkUserOperationView) {
  return {
    key: op.key,
    status: op.status,
    errorCode: op.failure ? recordErrorCode(op.failure.reason) : null,
    errorMessage: op.failure?.message ?? null,
    operations: (op.results ?? []).map((r, i) => ({
      status: r.status,
      errorCode: r.status === 'Error' ? recordErrorCode(r.reason) : null,
      errorMessage: r.status === 'Error' ? r.message : null,
      // Gatehouse has no external identity provider profiles: no username or subject.
      record: { key: r.userKey, email: op.records[i].email, username: null, subject: null },
    })),
  }
}
