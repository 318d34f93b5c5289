import { defineConfig, globalIgnores } from 'eslint/config'
import nextVitals from 'eslint-config-next/core-web-vitals'
import nextTs from 'eslint-config-next/typescript'

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores(['.next/**', '.data/**', 'node_modules/**', 'next-env.d.ts', 'db/migrations/**', 'test-results/**', 'playwright-report/**']),
  {
    rules: {
      // A leading underscore marks a value that is deliberately left unused (e.g. dropped from a spread).
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Pages and components reach data only through use cases in lib/ (STYLE: data flows one way).
    files: ['app/**', 'components/**'],
    // Tests may inspect the database to prove that nothing changed.
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@/db', '@/db/*', '**/db/client', 'drizzle-orm', 'drizzle-orm/*', 'pg'], message: 'Call a use case in lib/ instead of the database.' },
        ],
      }],
    },
  },
])
