// The role editor's selection rules, kept pure. Mirrors lib/authz/evaluate.ts conferredBy: a stage
// limit passes down to inherited permissions that allow stage limits; others are implied everywhere.

export type EditorPermission = { slug: string; name: string; allowStages: boolean; inherits: string[] }

/** Explicit choices: slug → stages (null: every stage). */
export type Selection = Map<string, string[] | null>

export type Implied = { by: string[]; stageKeys: string[] | null }

/** What the explicit choices imply, permission by permission, and through which chosen permissions. */
export function impliedBy(selection: Selection, defs: Map<string, EditorPermission>): Map<string, Implied> {
  const out = new Map<string, Implied>()
  for (const [root, rootStages] of selection) {
    const seen = new Set<string>([root])
    const queue = [...(defs.get(root)?.inherits ?? [])]
    while (queue.length) {
      const slug = queue.shift()!
      if (seen.has(slug)) continue
      seen.add(slug)
      const def = defs.get(slug)
      if (!def) continue
      const stages = def.allowStages ? rootStages : null
      const current = out.get(slug)
      if (!current) out.set(slug, { by: [root], stageKeys: stages })
      else {
        current.by.push(root)
        current.stageKeys = current.stageKeys === null || stages === null ? null : [...new Set([...current.stageKeys, ...stages])]
      }
      queue.push(...def.inherits)
    }
  }
  return out
}

/** Fully implied (in every stage where it applies): shown checked and locked while the parent is chosen. */
export const isLocked = (implied: Implied | undefined) => implied !== undefined && implied.stageKeys === null

/** What is saved: the explicit choices that their parents do not already cover entirely. */
export function toSave(selection: Selection, defs: Map<string, EditorPermission>, order: string[]): Array<{ slug: string; stageKeys: string[] | null }> {
  const implied = impliedBy(selection, defs)
  return order.filter((slug) => selection.has(slug) && !isLocked(implied.get(slug))).map((slug) => ({ slug, stageKeys: selection.get(slug)! }))
}
