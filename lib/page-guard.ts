import 'server-only'
import { forbidden, notFound, redirect } from 'next/navigation'
import { ForbiddenError, NotFoundError, UnauthenticatedError } from './errors'

/** Turns a use case's refusal into the matching page: 403, 404 or sign-in (UI-13). */
export async function loadPage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof ForbiddenError) forbidden()
    if (error instanceof NotFoundError) notFound()
    if (error instanceof UnauthenticatedError) redirect('/sign-in')
    throw error
  }
}
