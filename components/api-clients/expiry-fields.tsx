'use client'

import { useState } from 'react'
import { Field, TextInput } from '@/components/ui/field'
import { MAX_EXPIRY_MONTHS, REMINDER_DAYS, type ExpiryBounds } from '@/lib/api-clients/expiry'

/** Expiry date (UTC) and the reminder choice of a new secret (APIC-2). The reminder travels as "true"/"false". */
export function ExpiryFields({ expiry, errors, defaultDate, defaultRemind = true }: { expiry: ExpiryBounds; errors: (name: string) => string[] | undefined; defaultDate?: string; defaultRemind?: boolean }) {
  const [remind, setRemind] = useState(defaultRemind)
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field label="Secret expires on" name="expiresOn" errors={errors('expiresOn')} hint={`The secret stops working at the end of this day, UTC: 23:59:59. At most ${MAX_EXPIRY_MONTHS} months ahead (${expiry.max}).`}>
        <TextInput name="expiresOn" type="date" required min={expiry.min} max={expiry.max} defaultValue={defaultDate ?? expiry.default} errors={errors('expiresOn')} hint />
      </Field>
      <div className="space-y-1">
        <input type="hidden" name="remind" value={remind ? 'true' : 'false'} />
        <div className="flex items-start gap-2 pt-7">
          <input id="remind-checkbox" type="checkbox" className="mt-1" checked={remind} onChange={(e) => setRemind(e.target.checked)} aria-describedby="remind-hint" />
          <div>
            <label htmlFor="remind-checkbox" className="text-sm font-medium text-slate-700 dark:text-slate-200">
              Email a reminder before it expires
            </label>
            <p id="remind-hint" className="text-xs text-slate-500 dark:text-slate-400">
              {REMINDER_DAYS} days ahead, to everyone who can manage API clients.
            </p>
          </div>
        </div>
        {errors('remind')?.map((e) => (
          <p key={e} className="text-sm text-red-600 dark:text-red-400">
            {e}
          </p>
        ))}
      </div>
    </div>
  )
}
