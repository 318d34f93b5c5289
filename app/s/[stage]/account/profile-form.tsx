'use client'

import { FormMessage } from '@/components/forms/form-message'
import { fieldErrors, submitted, useFormAction, type FormState } from '@/components/forms/use-form-action'
import { Field, TextInput } from '@/components/ui/field'
import { SubmitButton } from '@/components/ui/submit-button'
import { PHOTO_URL_MAX, PROFILE_NAME_MAX, updateOwnProfileSchema } from '@/lib/hosted/account-schemas'

type Props = { action: (prev: FormState, formData: FormData) => Promise<FormState>; name: string; photoUrl: string | null }

/** The end-user's name and photo address (ODC's UpdateUserProfile); the email is shown, not edited. */
export function ProfileForm({ action, name, photoUrl }: Props) {
  const [state, formAction] = useFormAction(action, updateOwnProfileSchema)
  const errors = (n: string) => fieldErrors(state, n)
  return (
    <form action={formAction} className="space-y-4">
      <Field label="Name" name="name" errors={errors('name')}>
        <TextInput name="name" defaultValue={submitted(state, 'name') ?? name} required maxLength={PROFILE_NAME_MAX} autoComplete="name" errors={errors('name')} />
      </Field>
      <Field label="Photo address (optional)" name="photoUrl" errors={errors('photoUrl')} hint="A link to a picture of you, starting with https://. Leave it empty for none.">
        <TextInput
          name="photoUrl"
          type="url"
          inputMode="url"
          defaultValue={submitted(state, 'photoUrl') ?? photoUrl ?? ''}
          maxLength={PHOTO_URL_MAX}
          placeholder="https://"
          autoComplete="photo"
          errors={errors('photoUrl')}
          hint
        />
      </Field>
      <FormMessage state={state && (state.ok || !state.fieldErrors) ? state : null} />
      <SubmitButton pendingLabel="Saving…">Save profile</SubmitButton>
    </form>
  )
}
