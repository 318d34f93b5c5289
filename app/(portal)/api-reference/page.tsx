import type { Metadata } from 'next'
import { SearchForm } from '@/components/data-table/search-form'
import { first, type SearchParams } from '@/components/data-table/search-params'
import { TabNav } from '@/components/layout/tabs'
import { Badge } from '@/components/ui/badge'
import { Card, EmptyState, PageHeader } from '@/components/ui/card'
import { apiReference, type ApiName, type ReferenceField, type ReferenceOperation } from '@/lib/api/reference'
import { requireMemberContext } from '@/lib/request'

export const metadata: Metadata = { title: 'API reference' }

const methodTone = { GET: 'blue', POST: 'green', PUT: 'amber', PATCH: 'amber', DELETE: 'red' } as const

export default async function ApiReferencePage({ searchParams }: { searchParams: SearchParams }) {
  await requireMemberContext()
  const raw = await searchParams
  const api: ApiName = first(raw.api) === 'gatehouse' ? 'gatehouse' : 'identity'
  const q = (first(raw.q) ?? '').slice(0, 100)
  const reference = apiReference(api, q)
  const shown = reference.groups.reduce((n, g) => n + g.operations.length, 0)
  return (
    <>
      <PageHeader
        title="API reference"
        description="Every operation of Gatehouse's two REST APIs, generated from the OpenAPI documents they serve. Scripts call them as API clients with a bearer token."
      />
      <TabNav
        label="APIs"
        current={api}
        tabs={[
          { key: 'identity', label: 'Identity API v1', href: '/api-reference?api=identity' },
          { key: 'gatehouse', label: 'Gatehouse API v1', href: '/api-reference?api=gatehouse' },
        ]}
      />
      <Card title={reference.title} description={reference.description}>
        <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">Base URL</dt>
          <dd>
            <code>{reference.baseUrl}</code>
          </dd>
          <dt className="font-medium">Token</dt>
          <dd>
            <code>POST /identity/connect/token</code> with <code>grant_type=client_credentials</code> and the API client&apos;s id and secret; send the{' '}
            <code>access_token</code> as <code>Authorization: Bearer …</code>. Tokens last 12 hours.
          </dd>
          <dt className="font-medium">Limits</dt>
          <dd>100 requests a minute per organization for each API (bulk user creation: 5 a minute); see the RateLimit-* headers on every answer.</dd>
          <dt className="font-medium">OpenAPI document</dt>
          <dd>
            <a className="text-brand-700 underline dark:text-brand-100" href={reference.documentUrl}>
              {reference.documentUrl}
            </a>
          </dd>
        </dl>
      </Card>
      <div className="mt-6">
        <SearchForm action="/api-reference" clearHref={`/api-reference?api=${api}`} filtered={Boolean(q)} q={q} label="Find an operation" placeholder="Path, summary or permission contains…" submitLabel="Find">
          <input type="hidden" name="api" value={api} />
        </SearchForm>
        <p className="mb-4 text-sm text-slate-500" aria-live="polite">
          {q ? `${shown} of ${reference.operationCount} operations match.` : `${reference.operationCount} operations.`} Select one to see its parameters and answers.
        </p>
        {shown === 0 ? (
          <EmptyState title="No operation matches">Try a path such as /users, or a permission such as endusers.view.</EmptyState>
        ) : (
          <div className="space-y-6">
            {reference.groups.map((group) => (
              <section key={group.tag} aria-labelledby={`tag-${group.tag}`}>
                <h2 id={`tag-${group.tag}`} className="text-lg font-semibold">
                  {group.tag}
                </h2>
                {group.description && <p className="mb-2 text-sm text-slate-500 dark:text-slate-400">{group.description}</p>}
                <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
                  {group.operations.map((op) => (
                    <li key={op.id}>
                      <Operation op={op} />
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        )}
      </div>
      {!q && (
        <Card title="Schemas" description="The shapes operations take and return." className="mt-6">
          <div className="space-y-2">
            {reference.schemas.map((schema) => (
              <details key={schema.name} id={`schema-${schema.name}`} className="rounded border border-slate-200 px-3 py-2 dark:border-slate-800">
                <summary className="cursor-pointer font-mono text-sm">
                  {schema.name} <span className="text-slate-500">{schema.fields.length ? '' : `: ${schema.type}`}</span>
                </summary>
                {schema.fields.length > 0 && <Fields fields={schema.fields} caption={`Fields of ${schema.name}`} />}
              </details>
            ))}
          </div>
        </Card>
      )}
    </>
  )
}

function Operation({ op }: { op: ReferenceOperation }) {
  return (
    <details id={op.id} className="group px-4 py-3">
      <summary className="flex cursor-pointer flex-wrap items-center gap-3">
        <Badge tone={methodTone[op.method as keyof typeof methodTone] ?? 'slate'}>{op.method}</Badge>
        <code className="text-sm">{op.path}</code>
        <span className="text-sm text-slate-600 dark:text-slate-300">{op.summary}</span>
      </summary>
      <div className="mt-3 space-y-3 text-sm">
        {op.description && <p>{op.description}</p>}
        <p>
          <span className="font-medium">Permission:</span> {op.permission ?? 'any API client'} · <span className="font-medium">Operation id:</span> <code>{op.id}</code>
        </p>
        {op.parameters.length > 0 && (
          <Fields
            caption="Parameters"
            fields={op.parameters.map((p) => ({ ...p, name: `${p.name}`, note: [p.in === 'path' ? 'in the path' : null, p.note].filter(Boolean).join('; ') || null }))}
          />
        )}
        {op.body && (
          <div>
            <p className="font-medium">
              Request body: <code>{op.body.type}</code>
            </p>
            {op.body.fields.length > 0 && <Fields caption="Request body fields" fields={op.body.fields} />}
          </div>
        )}
        <div>
          <p className="font-medium">Answers</p>
          <ul className="mt-1 space-y-0.5">
            {op.responses.map((r) => (
              <li key={r.status}>
                <code>{r.status}</code> {r.description}
                {r.type && (
                  <>
                    {' '}
                    → <code>{r.type}</code>
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </details>
  )
}

function Fields({ fields, caption }: { fields: ReferenceField[]; caption: string }) {
  return (
    <div className="mt-2 overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-4 font-medium">
              Name
            </th>
            <th scope="col" className="py-1 pr-4 font-medium">
              Type
            </th>
            <th scope="col" className="py-1 font-medium">
              Notes
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.name} className="border-t border-slate-100 align-top dark:border-slate-800">
              <td className="py-1 pr-4 font-mono">
                {f.name}
                {f.required && <span className="ml-1 text-red-700 dark:text-red-300" title="required">*</span>}
              </td>
              <td className="py-1 pr-4 font-mono break-all">{f.type}</td>
              <td className="py-1 text-slate-600 dark:text-slate-300">{f.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
