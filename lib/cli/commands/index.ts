import type { Command } from '../command'
import { createAdmin } from './create-admin'
import { createApiClientCommand } from './create-api-client'
import { migrate } from './migrate'
import { rotateSigningKeyCommand } from './rotate-signing-key'
import { unlockUser } from './unlock-user'

// The order here is the order in `gatehouse help`. A new command is one file plus one line here.
// The cast forgets each command's own option types, which only its run function needs.
export const commands: readonly Command[] = [migrate, createAdmin, createApiClientCommand, rotateSigningKeyCommand, unlockUser] as unknown as readonly Command[]
