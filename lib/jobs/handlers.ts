import 'server-only'
import { getDb } from '@/db/client'
import { EXPIRY_REMINDER_JOB, scheduleExpiryReminderScan, sendApiClientExpiryReminders } from '../api-clients/expiry-reminders'
import { BULK_CREATE_USERS_JOB, runBulkUserCreation } from '../users/bulk-create-users'
import type { JobHandlers } from './runner'

/** Every kind of job the server runs, by kind. */
export const jobHandlers: JobHandlers = {
  [EXPIRY_REMINDER_JOB]: async (_job, now) => {
    await sendApiClientExpiryReminders(now)
  },
  [BULK_CREATE_USERS_JOB]: runBulkUserCreation,
}

/** Recurring work, scheduled idempotently on every tick (each has a dedupe key per period). */
export async function scheduleRecurringJobs(now: Date): Promise<void> {
  await scheduleExpiryReminderScan(await getDb(), now)
}
