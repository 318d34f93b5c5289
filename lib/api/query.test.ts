import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ValidationError } from '../errors'
import { arrayParam, limitParam, offsetParam, pageOf, parseQuery, querySchema, sortParam } from './query'

const users = querySchema(
  {
    offset: offsetParam,
    limit: limitParam,
    sort: sortParam(['name', 'email', 'createdAt'], 'name'),
    nameContains: z.string().max(100).optional(),
    environmentKey: z.uuid().optional(),
    environmentKeys: arrayParam(z.uuid()),
    assignmentSources: arrayParam(z.enum(['Direct', 'GroupAssigned', 'GroupMapped'])),
  },
  { exclusive: [['environmentKey', 'environmentKeys']] },
)

const q = (query: string) => parseQuery(users, new URL(`http://x/api/identity/v1/users?${query}`))

function fieldErrors(query: string): Record<string, string[]> {
  try {
    q(query)
  } catch (e) {
    if (e instanceof ValidationError) return e.fieldErrors
    throw e
  }
  throw new Error(`expected ${query} to be refused`)
}

const K1 = '0b6a7c1e-5f55-4a9e-9d4e-2f3f7f0d1a01'
const K2 = '0b6a7c1e-5f55-4a9e-9d4e-2f3f7f0d1a02'

describe('REST query parameters', () => {
  it('defaults: offset 0, limit 100, sort by name ascending', () => {
    expect(q('')).toEqual({ offset: 0, limit: 100, sort: { field: 'name', direction: 'asc' } })
  })

  it('offset is a whole number ≥ 0 and limit 1..100; anything else is a 400 naming it (REST-3)', () => {
    expect(q('offset=250&limit=1')).toMatchObject({ offset: 250, limit: 1 })
    expect(q('limit=100').limit).toBe(100)
    for (const bad of ['limit=0', 'limit=101', 'limit=-1', 'limit=1.5', 'limit=abc', 'limit=', 'limit=1e2', 'limit= 5']) expect(fieldErrors(bad)).toHaveProperty('limit')
    for (const bad of ['offset=-1', 'offset=x', 'offset=99999999999', 'offset=0x10']) expect(fieldErrors(bad)).toHaveProperty('offset')
  })

  it('sort takes a listed field, descending with a minus (REST-5)', () => {
    expect(q('sort=-email').sort).toEqual({ field: 'email', direction: 'desc' })
    expect(q('sort=createdAt').sort).toEqual({ field: 'createdAt', direction: 'asc' })
    for (const bad of ['sort=status', 'sort=--name', 'sort=', 'sort=Name']) expect(fieldErrors(bad).sort[0]).toMatch(/name, -name, email/)
  })

  it('arrays accept a,b and repeated parameters, mixed (REST-6)', () => {
    expect(q(`environmentKeys=${K1},${K2}`).environmentKeys).toEqual([K1, K2])
    expect(q(`environmentKeys=${K1}&environmentKeys=${K2}`).environmentKeys).toEqual([K1, K2])
    expect(q('assignmentSources=Direct,GroupMapped&assignmentSources=GroupAssigned').assignmentSources).toEqual(['Direct', 'GroupMapped', 'GroupAssigned'])
    expect(q('environmentKeys=').environmentKeys).toBeUndefined()
    expect(fieldErrors(`environmentKeys=${K1},nope`)).toHaveProperty(['environmentKeys.1'])
  })

  it('a single-valued parameter sent twice is a 400', () => {
    expect(fieldErrors('limit=5&limit=6').limit[0]).toMatch(/only once/)
  })

  it('mutually exclusive pairs are a 400 naming both (REST-8)', () => {
    const errors = fieldErrors(`environmentKey=${K1}&environmentKeys=${K2}`)
    expect(Object.keys(errors).sort()).toEqual(['environmentKey', 'environmentKeys'])
  })

  it('form rules: + decodes as a space, %2B as a plus (REST-7); unknown parameters are ignored', () => {
    expect(q('nameContains=a+b%2Bc&unknown=1')).toMatchObject({ nameContains: 'a b+c' })
    expect(q('nameContains=a+b%2Bc')).not.toHaveProperty('unknown')
  })
})

describe('page object (REST-4)', () => {
  it('10 results, limit 2: 5 pages; the last page has no next offset', () => {
    expect(pageOf({ count: 2, limit: 2, offset: 0, totalResults: 10 })).toEqual({ count: 2, limit: 2, offset: 0, totalResults: 10, nextPageOffset: 2, totalPages: 5 })
    expect(pageOf({ count: 2, limit: 2, offset: 8, totalResults: 10 })).toMatchObject({ nextPageOffset: null, totalPages: 5 })
    expect(pageOf({ count: 0, limit: 2, offset: 20, totalResults: 10 })).toMatchObject({ count: 0, nextPageOffset: null })
  })

  it('no results: zero pages', () => {
    expect(pageOf({ count: 0, limit: 100, offset: 0, totalResults: 0 })).toEqual({ count: 0, limit: 100, offset: 0, totalResults: 0, nextPageOffset: null, totalPages: 0 })
  })

  it('without a total, a full page has a next offset and the counts are null', () => {
    expect(pageOf({ count: 100, limit: 100, offset: 0, totalResults: null })).toMatchObject({ nextPageOffset: 100, totalPages: null, totalResults: null })
    expect(pageOf({ count: 40, limit: 100, offset: 100, totalResults: null })).toMatchObject({ nextPageOffset: null })
  })
})
