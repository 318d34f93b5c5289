import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ValidationError } from './errors'
import { parse } from './validation'

describe('parse', () => {
  const schema = z.object({ name: z.string(), tags: z.array(z.string()).optional() })

  it('refuses a NUL character anywhere in the input as a field error, before the schema runs', () => {
    const error = (() => {
      try {
        parse(schema, { name: 'a\u0000b', tags: ['ok', 'x\u0000'] })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).fieldErrors).toEqual({ name: ['Contains a NUL character, which is not allowed.'], 'tags.1': ['Contains a NUL character, which is not allowed.'] })
  })

  it('names unknown and invalid fields, and returns the parsed value otherwise', () => {
    expect(() => parse(z.strictObject({ name: z.string() }), { name: 'x', extra: 1 })).toThrow(ValidationError)
    expect(parse(schema, { name: 'Ada' })).toEqual({ name: 'Ada' })
  })
})
