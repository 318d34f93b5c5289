import { describe, expect, it } from 'vitest'
import { SESSION_LIMITS } from '@/db/schema/stages'
import { describeMinutes, SESSION_RANGE, splitMinutes, toMinutes } from './durations'
import { updateStageSessionsSchema } from './schemas'

describe('session durations', () => {
  it('keeps the browser’s limits equal to the database’s', () => {
    expect(SESSION_RANGE).toEqual({ max: SESSION_LIMITS.maxMinutes, idle: SESSION_LIMITS.idleMinutes })
  })

  it('converts whole numbers of minutes, hours and days', () => {
    expect(toMinutes(90, 'minutes')).toBe(90)
    expect(toMinutes(12, 'hours')).toBe(720)
    expect(toMinutes(45, 'days')).toBe(64800)
  })

  it('shows a stored duration in the largest whole unit', () => {
    expect(splitMinutes(720)).toEqual({ value: 12, unit: 'hours' })
    expect(splitMinutes(2880)).toEqual({ value: 2, unit: 'days' })
    expect(splitMinutes(90)).toEqual({ value: 90, unit: 'minutes' })
    expect(splitMinutes(5)).toEqual({ value: 5, unit: 'minutes' })
  })

  it('says a duration in words', () => {
    expect(describeMinutes(720)).toBe('12 hours')
    expect(describeMinutes(60)).toBe('1 hour')
    expect(describeMinutes(64800)).toBe('45 days')
    expect(describeMinutes(90)).toBe('1 hour and 30 minutes')
    expect(describeMinutes(1440 + 720 + 30)).toBe('1 day, 12 hours and 30 minutes')
    expect(describeMinutes(5)).toBe('5 minutes')
  })

  it('checks the limits on the total, whatever the unit', () => {
    const key = '00000000-0000-4000-8000-000000000000'
    expect(updateStageSessionsSchema.parse({ stageKey: key, maxValue: '60', maxUnit: 'minutes', idleValue: '1', idleUnit: 'hours' })).toEqual({ stageKey: key, maxMinutes: 60, idleMinutes: 60 })
    expect(updateStageSessionsSchema.safeParse({ stageKey: key, maxValue: 1081, maxUnit: 'hours', idleValue: 1, idleUnit: 'hours' }).success).toBe(false)
    expect(updateStageSessionsSchema.safeParse({ stageKey: key, maxValue: 1080, maxUnit: 'hours', idleValue: 64800, idleUnit: 'minutes' }).success).toBe(true)
  })
})
