import type { Command } from '../command'
import { createAdmin } from './create-admin'
import { migrate } from './migrate'
import { unlockUser } from './unlock-user'

// The order here is the order in `gatehouse help`. A new command is one file plus one line here.
// The cast forgets each command's own option types, which only its run function needs.
export const commands: readonly Command[] = [migrate, createAdmin, unlockUser] as unknown as readonly Command[]
