import Link from 'next/link'
import { buttonClass } from '../ui/button'
import { PagerLink } from './pager-link'

/**
 * Previous / Next (and optionally First page) for a keyset-paginated list. Links keep the list's
 * `params` (empty ones dropped, in the given order) and add the neighbouring page's cursor.
 */
export function Pager({
  path,
  params = {},
  hash = '',
  page,
  firstPage = false,
  label = 'Pagination',
}: {
  path: string
  params?: Record<string, string | undefined>
  hash?: string
  page: { previous: string | null; next: string | null }
  /** Also offer a way back to the first page (for long lists). */
  firstPage?: boolean
  label?: string
}) {
  const href = (cursor: Record<string, string>) => {
    const query = new URLSearchParams()
    for (const [k, v] of Object.entries(params)) if (v) query.set(k, v)
    for (const [k, v] of Object.entries(cursor)) query.set(k, v)
    return `${path}?${query}${hash}`
  }
  const links = (
    <>
      <PagerLink href={page.previous ? href({ before: page.previous }) : null} rel="prev">
        Previous
      </PagerLink>
      <PagerLink href={page.next ? href({ after: page.next }) : null} rel="next">
        Next
      </PagerLink>
    </>
  )
  if (!firstPage)
    return (
      <nav aria-label={label} className="mt-4 flex items-center justify-end gap-2 text-sm">
        {links}
      </nav>
    )
  return (
    <nav aria-label={label} className="mt-4 flex items-center justify-between text-sm">
      <div className="flex gap-2">
        {page.previous && (
          <Link href={href({})} className={buttonClass('ghost')}>
            First page
          </Link>
        )}
      </div>
      <div className="flex gap-2">{links}</div>
    </nav>
  )
}
