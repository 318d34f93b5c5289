'use client'

import { useFormStatus } from 'react-dom'
import { Button } from './button'

/** A submit button that shows progress and blocks double submission while its form is pending. */
export function SubmitButton({ children, pendingLabel, variant = 'primary', className }: { children: React.ReactNode; pendingLabel?: string; variant?: 'primary' | 'secondary' | 'danger'; className?: string }) {
  const { pending } = useFormStatus()
  return (
    <Button type="submit" variant={variant} disabled={pending} aria-disabled={pending} className={className}>
      {pending ? (pendingLabel ?? 'Working…') : children}
    </Button>
  )
}
