'use client'

import { useFormStatus } from 'react-dom'
import { Button } from './button'

type Props = { children: React.ReactNode; pendingLabel?: string; variant?: 'primary' | 'secondary' | 'danger'; className?: string; name?: string; value?: string }

/** A submit button that shows progress and blocks double submission while its form is pending. */
export function SubmitButton({ children, pendingLabel, variant = 'primary', className, name, value }: Props) {
  const { pending } = useFormStatus()
  return (
    <Button type="submit" variant={variant} disabled={pending} aria-disabled={pending} className={className} name={name} value={value}>
      {pending ? (pendingLabel ?? 'Working…') : children}
    </Button>
  )
}
