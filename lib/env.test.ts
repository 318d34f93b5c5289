import { describe, expect, it } from 'vitest'
import { parseEnv } from './env'

describe('configuration', () => {
  it('has working development defaults with nothing set', () => {
    const env = parseEnv({ NODE_ENV: 'development' })
    expect(env.DATABASE_URL).toBeUndefined()
    expect(env.APP_URL).toBe('http://localhost:3000')
    expect(env.AUTH_SECRET.length).toBeGreaterThanOrEqual(32)
  })

  it('refuses to start in production without a secret and a public URL', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET is required[\s\S]*APP_URL is required/)
  })

  it('accepts a complete production configuration', () => {
    const env = parseEnv({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(40), APP_URL: 'https://id.example.com' })
    expect(env.APP_URL).toBe('https://id.example.com')
  })

  it('names the malformed value', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres/)
    expect(() => parseEnv({ SMTP_URL: 'http://x' })).toThrow(/SMTP_URL/)
  })

  it('treats blank values as unset', () => {
    expect(parseEnv({ DATABASE_URL: '  ' }).DATABASE_URL).toBeUndefined()
  })

  it('allows the end-to-end test clock only for a production server on localhost', () => {
    const base = { NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(40), GATEHOUSE_TEST_CLOCK: '1' }
    expect(parseEnv({ ...base, APP_URL: 'http://127.0.0.1:3100' }).GATEHOUSE_TEST_CLOCK).toBe(true)
    expect(() => parseEnv({ ...base, APP_URL: 'https://id.example.com' })).toThrow(/GATEHOUSE_TEST_CLOCK/)
    expect(parseEnv({ NODE_ENV: 'development' }).GATEHOUSE_TEST_CLOCK).toBe(false)
  })
})
