import Link from 'next/link'
import { buttonClass } from '../ui/button'

/** "Previous" / "Next" for keyset pages: a link when there is a page there, a disabled label otherwise. */
export function PagerLink({ href, rel, children }: { href: string | null; rel: 'prev' | 'next'; children: React.ReactNode }) {
  if (!href)
    return (
      <span className={buttonClass('secondary', 'opacity-50')} aria-disabled>
        {children}
      </span>
    )
  return (
    <Link href={href} className={buttonClass('secondary')} rel={rel}>
      {children}
    </Link>
  )
}
