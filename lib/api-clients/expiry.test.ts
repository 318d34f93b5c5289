import { describe, expect, it } from 'vitest'
import { addUtcMonths, checkExpiryDate, expiryBounds, parseUtcDate } from './expiry'

describe('secret expiry dates (APIC-2)', () => {
  const now = new Date('2026-01-31T23:30:00Z')

  it('defaults to 90 days from today (UTC) and allows today up to 24 months ahead', () => {
    expect(expiryBounds(now)).toEqual({ min: '2026-01-31', max: '2028-01-31', default: '2026-05-01' })
    expect(checkExpiryDate(undefined, now)).toEqual({ ok: true, date: '2026-05-01' })
    expect(checkExpiryDate('', now)).toEqual({ ok: true, date: '2026-05-01' })
    expect(checkExpiryDate('2026-01-31', now)).toEqual({ ok: true, date: '2026-01-31' })
    expect(checkExpiryDate('2028-01-31', now)).toEqual({ ok: true, date: '2028-01-31' })
  })

  it('refuses the past, more than 24 months ahead, and dates that do not exist', () => {
    expect(checkExpiryDate('2026-01-30', now)).toMatchObject({ ok: false, message: expect.stringMatching(/past/) })
    expect(checkExpiryDate('2028-02-01', now)).toMatchObject({ ok: false, message: expect.stringMatching(/24 months/) })
    expect(checkExpiryDate('2026-02-30', now)).toMatchObject({ ok: false })
    expect(checkExpiryDate('31/12/2026', now)).toMatchObject({ ok: false })
  })

  it('adds months without spilling into the next month', () => {
    expect(addUtcMonths(new Date('2026-01-31T00:00:00Z'), 1).toISOString()).toBe('2026-02-28T00:00:00.000Z')
    expect(addUtcMonths(new Date('2027-02-28T00:00:00Z'), 12).toISOString()).toBe('2028-02-28T00:00:00.000Z')
    expect(parseUtcDate('2028-02-29')?.toISOString()).toBe('2028-02-29T00:00:00.000Z')
    expect(parseUtcDate('2027-02-29')).toBeNull()
  })
})
