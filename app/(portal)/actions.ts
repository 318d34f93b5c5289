'use server'

import { signOut } from '@/lib/auth/next-auth'

export async function signOutAction() {
  await signOut({ redirectTo: '/sign-in' })
}
