import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { createPostgresTemplate, pgliteTemplateDump, type TestTemplate } from '@/db/testing'

declare module 'vitest' {
  export interface ProvidedContext {
    testTemplate: TestTemplate
  }
}

/**
 * Once per run and integration project: migrate one template database, which every test file then
 * copies (test/harness.ts). A fresh PGlite instance spends most of its start-up in initdb, so a
 * file's database loaded from a dump is ready in about a second instead of several.
 */
export default async function setup(project: TestProject) {
  if ((project.config.env?.GATEHOUSE_TEST_TARGET ?? process.env.GATEHOUSE_TEST_TARGET) === 'postgres') {
    const template = await createPostgresTemplate()
    project.provide('testTemplate', { postgresDatabase: template.name })
    return template.drop
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-template-'))
  const file = path.join(dir, 'pglite.tar')
  writeFileSync(file, Buffer.from(await (await pgliteTemplateDump()).arrayBuffer()))
  project.provide('testTemplate', { pgliteDump: file })
  return () => rmSync(dir, { recursive: true, force: true })
}
