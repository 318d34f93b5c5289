import Link from 'next/link'

/** The link from a list row to the thing's own page, usually in its name column. */
export function RowLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <Link href={href} className="font-medium text-brand-700 hover:underline dark:text-brand-100">
      {children}
    </Link>
  )
}
