import { describe, expect, it } from 'vitest'
import { describeDevice, duration } from './format'

describe('account page wording', () => {
  it('names a device by browser and system', () => {
    expect(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36')).toBe('Chrome on Windows')
    expect(describeDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toBe('Safari on iOS')
    expect(describeDevice('Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0')).toBe('Firefox on Android')
    expect(describeDevice('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0')).toBe('Edge on macOS')
    expect(describeDevice('curl/8.5.0')).toBe('curl/8.5.0')
    expect(describeDevice(null)).toBe('Unknown browser')
    expect(describeDevice('x'.repeat(100))).toHaveLength(58)
  })

  it('says durations as people do', () => {
    expect(duration(5)).toBe('5 minutes')
    expect(duration(60)).toBe('1 hour')
    expect(duration(720)).toBe('12 hours')
    expect(duration(1440)).toBe('1 day')
    expect(duration(45 * 1440)).toBe('45 days')
    expect(duration(90)).toBe('90 minutes')
  })
})
