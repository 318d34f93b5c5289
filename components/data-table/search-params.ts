/** A page's `searchParams` prop, as Next.js passes it. */
export type SearchParams = Promise<Record<string, string | string[] | undefined>>

/** The first value of a query parameter that may repeat (`?q=a&q=b` reads as `a`). */
export const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)
