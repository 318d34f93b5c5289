import { expect, it } from 'vitest'
import { form } from './next-stubs'

type Action = (prev: unknown, data: FormData) => Promise<unknown>

/**
 * One test per bad submission: the server action answers with a form error (never a stack trace)
 * and the database is exactly as before. Call inside a describe; `asAdmin` sets who submits.
 */
export function itRefusesEach(actions: Record<string, unknown>, bad: ReadonlyArray<readonly [string, Parameters<typeof form>[0]]>, p: { asAdmin: () => void; snapshot: () => Promise<unknown> }) {
  for (const [name, values] of bad) {
    it(`${name} refuses ${JSON.stringify(values).slice(0, 80)} and changes nothing`, async () => {
      p.asAdmin()
      const before = await p.snapshot()
      const result = await (actions[name] as Action)(null, form(values))
      expect(result).toMatchObject({ ok: false, error: expect.any(String) })
      expect(JSON.stringify(result)).not.toMatch(/\bat .+\.(ts|js):\d+/)
      expect(await p.snapshot()).toEqual(before)
    })
  }
}
