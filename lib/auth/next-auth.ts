import 'server-only'
import NextAuth, { CredentialsSignin } from 'next-auth'
import Credentials from 'next-auth/providers/credentials'
import { getDb } from '@/db/client'
import { now } from '../clock'
import { env } from '../env'
import { logger } from '../logger'
import { clientMeta } from '../request-meta'
import { MEMBER_SESSION_HOURS, revokeSessionByToken } from './sessions'
import { InvalidCredentialsError, signInWithPassword } from './sign-in'

/**
 * Auth.js runs the sign-in handshake; the truth about a session is our sessions table. The JWT
 * cookie carries only the random session token (`sid`), checked against the table on every request
 * (lib/request.ts), so revocation and deactivation take effect on the very next request (AUTH-4).
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: 'jwt', maxAge: MEMBER_SESSION_HOURS * 3600 },
  pages: { signIn: '/sign-in', error: '/sign-in' },
  providers: [
    Credentials({
      credentials: { email: { type: 'email' }, password: { type: 'password' } },
      async authorize(credentials, request) {
        try {
          const { userKey, sessionToken } = await signInWithPassword({ actor: null, ...clientMeta(request.headers) }, credentials)
          return { id: userKey, sessionToken }
        } catch (error) {
          if (!(error instanceof InvalidCredentialsError)) logger.error('sign-in failed unexpectedly', { error })
          throw new CredentialsSignin()
        }
      },
    }),
  ],
  // A wrong password is an expected outcome, not an error worth a stack trace in the server log.
  logger: {
    error(error: Error) {
      if (error.name === 'CredentialsSignin' || (error as { type?: string }).type === 'CredentialsSignin') return
      logger.error('auth error', { error })
    },
    warn(code: string) {
      logger.warn('auth warning', { code })
    },
    debug() {},
  },
  callbacks: {
    jwt({ token, user }) {
      if (user) return { sub: user.id, sid: (user as { sessionToken?: string }).sessionToken }
      return token
    },
    session({ session, token }) {
      return { ...session, sid: typeof token.sid === 'string' ? token.sid : undefined }
    },
  },
  events: {
    async signOut(message) {
      const sid = 'token' in message ? message.token?.sid : undefined
      if (typeof sid === 'string') await revokeSessionByToken(await getDb(), sid, now())
    },
  },
}))
