import { z } from 'zod'
import { ValidationError } from '../errors'
import { parse } from '../validation'

// Query parameters of the REST APIs (REST-3..REST-8), parsed with zod so that every bad value is a
// 400 problem naming the parameter:
//
//   const usersQuery = querySchema(
//     { offset: offsetParam, limit: limitParam, sort: sortParam(['name', 'email'], 'name'),
//       environmentKey: z.uuid().optional(), environmentKeys: arrayParam(z.uuid()) },
//     { exclusive: [['environmentKey', 'environmentKeys']] },
//   )
//   const q = parseQuery(usersQuery, request)   // { offset: 0, limit: 100, sort: { field: 'name', direction: 'asc' }, … }
//
// Parameters not in the schema are ignored, as ODC does; a parameter given twice that is not an
// array is refused rather than silently taking one of the values.

const MAX_OFFSET = 2_147_483_647

function wholeNumber(name: string, min: number, max: number, fallback: number) {
  const message = max === MAX_OFFSET ? `${name} must be a whole number of ${min} or more.` : `${name} must be a whole number from ${min} to ${max}.`
  return z
    .string()
    .regex(/^\d{1,10}$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message))
    .default(fallback)
}

/** REST-3: zero-based, default 0. */
export const offsetParam = wholeNumber('offset', 0, MAX_OFFSET, 0)
/** REST-3: 1 to 100, default 100; anything else is a 400, never clamped. */
export const limitParam = wholeNumber('limit', 1, 100, 100)

export type Sort<F extends string> = { field: F; direction: 'asc' | 'desc' }

/** REST-5: `sort=field` ascending, `sort=-field` descending, only the listed fields. */
export function sortParam<const F extends string>(fields: readonly F[], fallback: F) {
  const message = `sort must be one of: ${fields.flatMap((f) => [f, `-${f}`]).join(', ')}.`
  return z
    .string()
    .transform((raw, ctx): Sort<F> => {
      const value = raw.trim()
      const direction = value.startsWith('-') ? 'desc' : 'asc'
      const field = (direction === 'desc' ? value.slice(1) : value) as F
      if (!fields.includes(field)) {
        ctx.addIssue({ code: 'custom', message })
        return z.NEVER
      }
      return { field, direction }
    })
    .default({ field: fallback, direction: 'asc' })
}

const arraySchemas = new WeakSet<z.ZodType>()

/** REST-6: an array parameter, sent as `x=a,b`, as `x=a&x=b`, or both; absent (or empty) → undefined. */
export function arrayParam<T extends z.ZodType>(item: T) {
  const schema = z.array(item).max(100, 'At most 100 values.').optional()
  arraySchemas.add(schema)
  return schema
}

export type QuerySchema<S extends z.ZodRawShape> = { schema: z.ZodObject<S>; exclusive: ReadonlyArray<readonly [keyof S & string, keyof S & string]> }

/** A set of query parameters; `exclusive` pairs may not both be sent (REST-8). */
export function querySchema<S extends z.ZodRawShape>(shape: S, options: { exclusive?: ReadonlyArray<readonly [keyof S & string, keyof S & string]> } = {}): QuerySchema<S> {
  return { schema: z.object(shape), exclusive: options.exclusive ?? [] }
}

/** Parses the query of a request or URL; throws ValidationError (400) naming each bad parameter. */
export function parseQuery<S extends z.ZodRawShape>(query: QuerySchema<S>, source: Request | URL | URLSearchParams): z.infer<z.ZodObject<S>> {
  const params = source instanceof URLSearchParams ? source : source instanceof URL ? source.searchParams : new URL(source.url).searchParams
  const fieldErrors: Record<string, string[]> = {}
  for (const [a, b] of query.exclusive)
    if (params.has(a) && params.has(b)) for (const name of [a, b]) (fieldErrors[name] ??= []).push(`Send either ${a} or ${b}, not both.`)

  const raw: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(query.schema.shape)) {
    const values = params.getAll(name)
    if (!values.length) continue
    if (arraySchemas.has(schema as z.ZodType)) {
      const items = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
      if (items.length) raw[name] = items
    } else if (values.length > 1) (fieldErrors[name] ??= []).push(`${name} may be sent only once.`)
    else raw[name] = values[0]
  }
  if (Object.keys(fieldErrors).length) throw new ValidationError('Some query parameters are not valid.', fieldErrors)
  return parse(query.schema, raw)
}

export type Page = { count: number; limit: number; offset: number; totalResults: number | null; nextPageOffset: number | null; totalPages: number | null }

/**
 * The `page` of a list response (REST-4). Without a total (not counted), there is a next page
 * when this one is full; with one, when offset + limit is before its end.
 */
export function pageOf({ count, limit, offset, totalResults }: { count: number; limit: number; offset: number; totalResults: number | null }): Page {
  const next = offset + limit
  const hasNext = totalResults === null ? count === limit : next < totalResults
  return { count, limit, offset, totalResults, nextPageOffset: hasNext ? next : null, totalPages: totalResults === null ? null : Math.ceil(totalResults / limit) }
}

/** `{ results, page }`, the shape of every list response (REST-4). */
export function listResponse<T>(results: T[], query: { limit: number; offset: number }, totalResults: number | null) {
  return { results, page: pageOf({ count: results.length, limit: query.limit, offset: query.offset, totalResults }) }
}
