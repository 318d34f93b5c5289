import type { FormState } from '../forms/use-form-action'

/** A server action as the settings forms receive it from their page. */
export type FormAction = (prev: FormState, formData: FormData) => Promise<FormState>
