import type { Metadata } from 'next'
import Link from 'next/link'
import { CreateApiClientForm } from '@/components/api-clients/create-api-client-form'
import { Alert } from '@/components/ui/alert'
import { Card, PageHeader } from '@/components/ui/card'
import { getNewApiClientOptions } from '@/lib/api-clients/get-api-client'
import { loadPage } from '@/lib/page-guard'
import { requireMemberContext } from '@/lib/request'
import { createApiClientAction } from '../actions'

export const metadata: Metadata = { title: 'New API client' }

export default async function NewApiClientPage() {
  const ctx = await requireMemberContext()
  const options = await loadPage(() => getNewApiClientOptions(ctx))
  return (
    <>
      <PageHeader title="New API client" description="A name, a secret with an expiry date, and the permissions the client may use. The secret is shown once, right after creation." />
      {options.count >= options.limit ? (
        <Alert tone="warning" title={`The organization has ${options.count} API clients, its limit.`}>
          <Link href="/api-clients" className="underline">
            Delete one
          </Link>{' '}
          to create another.
        </Alert>
      ) : (
        <Card>
          <CreateApiClientForm registry={options.registry} expiry={options.expiry} action={createApiClientAction} />
        </Card>
      )}
    </>
  )
}
