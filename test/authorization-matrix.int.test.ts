import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { checkAccess, getCheckOptions } from '@/lib/access/check-access'
import { createApiClient } from '@/lib/api-clients/create-api-client'
import { deleteApiClient } from '@/lib/api-clients/delete-api-client'
import { getApiClient, getNewApiClientOptions } from '@/lib/api-clients/get-api-client'
import { listApiClients } from '@/lib/api-clients/list-api-clients'
import { rotateApiClientSecret } from '@/lib/api-clients/rotate-api-client-secret'
import { setApiClientPermissions } from '@/lib/api-clients/set-api-client-permissions'
import { resumeApiClient, suspendApiClient } from '@/lib/api-clients/suspend-api-client'
import { updateApiClient } from '@/lib/api-clients/update-api-client'
import { getEndUserAccess, setEndUserRoles } from '@/lib/access/end-user-access'
import { getMyAccess, getUserAccess } from '@/lib/access/explain-access'
import { getGrantOptions } from '@/lib/access/grant-options'
import { setRoleGrant } from '@/lib/access/grants'
import { whoHasAccess } from '@/lib/access/who-has-access'
import { createAppRole } from '@/lib/apps/create-app-role'
import { createApp } from '@/lib/apps/create-app'
import { deleteAppRole, previewAppRoleDeletion } from '@/lib/apps/delete-app-role'
import { deleteApp, previewAppDeletion } from '@/lib/apps/delete-app'
import { getApp } from '@/lib/apps/get-app'
import { getNewAppOptions } from '@/lib/apps/get-new-app-options'
import { listAppRoleInstances } from '@/lib/apps/list-app-role-instances'
import { listApps } from '@/lib/apps/list-apps'
import { updateAppRole } from '@/lib/apps/update-app-role'
import { previewAppStages, updateApp } from '@/lib/apps/update-app'
import { listAuditActions, listAuditEvents } from '@/lib/audit/list-audit-events'
import { changePassword } from '@/lib/auth/change-password'
import type { Ctx } from '@/lib/context'
import { rotateSigningKey } from '@/lib/api/signing-keys'
import { setApiClientSuspended } from '@/lib/api/testing'
import { whoAmI } from '@/lib/api/whoami'
import { GET as whoAmIRoute } from '@/app/api/gatehouse/v1/whoami/route'
import { getDashboard } from '@/lib/dashboard/get-dashboard'
import { ForbiddenError, UnauthenticatedError, ValidationError } from '@/lib/errors'
import { addGroupMember } from '@/lib/groups/add-group-member'
import { createGroup } from '@/lib/groups/create-group'
import { deleteGroup, previewGroupDeletion } from '@/lib/groups/delete-group'
import { getGroup } from '@/lib/groups/get-group'
import { listGroupMembers } from '@/lib/groups/list-group-members'
import { listGroupStages } from '@/lib/groups/list-group-stages'
import { listGroups } from '@/lib/groups/list-groups'
import { listUserGroups } from '@/lib/groups/list-user-groups'
import { removeGroupMember } from '@/lib/groups/remove-group-member'
import { previewGroupRoles, setGroupRoles } from '@/lib/groups/set-group-roles'
import { setUserGroupMembership } from '@/lib/groups/set-user-group-membership'
import { updateGroup } from '@/lib/groups/update-group'
import { getStageAccount, updateOwnProfile } from '@/lib/hosted/account'
import { revokeOtherStageSessions, revokeOwnStageSession, sessionHandle } from '@/lib/hosted/account-sessions'
import { listMailbox } from '@/lib/mail/list-mailbox'
import { getNavigation, type Navigation } from '@/lib/me/navigation'
import { createRole } from '@/lib/roles/create-role'
import { deleteRole } from '@/lib/roles/delete-role'
import { duplicateRole } from '@/lib/roles/duplicate-role'
import { getPermissionRegistry, getRole } from '@/lib/roles/get-role'
import { listRoleHolders } from '@/lib/roles/list-role-holders'
import { listRoleOptions } from '@/lib/roles/list-role-options'
import { listRoles } from '@/lib/roles/list-roles'
import { previewRoleChange, previewRoleDeletion } from '@/lib/roles/preview-role-change'
import { updateRole } from '@/lib/roles/update-role'
import { getSettings } from '@/lib/settings/get-settings'
import { removeEmailSettings } from '@/lib/settings/remove-email-settings'
import { renameStage } from '@/lib/settings/rename-stage'
import { saveEmailSettings } from '@/lib/settings/save-email-settings'
import { sendTestEmail } from '@/lib/settings/send-test-email'
import { updateInternalDomains } from '@/lib/settings/update-internal-domains'
import { updateOrganizationName } from '@/lib/settings/update-organization-name'
import { updatePasswordPolicy } from '@/lib/settings/update-password-policy'
import { updateSelfRegistration } from '@/lib/settings/update-self-registration'
import { previewStageSessions, updateStageSessions } from '@/lib/settings/update-stage-sessions'
import { deleteUser } from '@/lib/users/delete-user'
import { getUser } from '@/lib/users/get-user'
import { inviteMember } from '@/lib/users/invite-member'
import { getInviteOptions } from '@/lib/users/invite-options'
import { inviteUser } from '@/lib/users/invite-user'
import { listUsers } from '@/lib/users/list-users'
import { resendInvitation } from '@/lib/users/resend-invitation'
import { listMySessions, revokeAllUserSessions, revokeMyOtherSessions, revokeMySession, unlockUser } from '@/lib/users/sessions'
import { setOrganizationRole } from '@/lib/users/set-organization-role'
import { activateUser, deactivateUser } from '@/lib/users/set-user-status'
import { getDb } from '@/db/client'
import { organizations, stages, userCredentials } from '@/db/schema'
import { eq } from 'drizzle-orm'
import { PASSWORD, createRole as insertRole } from './factories'
import {
  PRINCIPALS,
  apiClientCtx,
  apiClientToken,
  auditSince,
  buildWorld,
  fingerprint,
  insertUser,
  lastAuditId,
  newApiClient,
  newApp,
  newEndUser,
  newGroup,
  newMember,
  openSession,
  openStageSessionOf,
  sessionOf,
  setEmailSettings,
  setPassword,
  signedInWith,
  STAGES,
  uniq,
  type PrincipalName,
  type StageCode,
  type World,
} from './authorization-matrix.fixtures'
import { uniqueEmail, useTestDatabase } from './harness'

// The authorization matrix (SPEC Q-2, issue 3): every use case a member can trigger × one principal
// per kind of caller. The expected answer of each cell is written once, below, from SPEC §2, §5, §12
// and reference/permissions.json (Developer's grants come from its builtInRoles entry), not from the
// implementation:
//
//   admin      built-in Administrator at organization scope: every permission, every stage.
//   developer  built-in Developer at organization scope: asset open/create/debug/change (no delete),
//              users.view_members, endusers.view and endusers.manage_access in DEV only.
//   qaRole     custom role: endusers.manage_access, endusers.manage_groups, endusers.view in QA only,
//              users.view_members (organization-wide).
//   appMember  no organization-scope role; Developer for one app at a time (app scope). AUTHZ-2: at
//              app scope the organization-only permissions (asset.create, users.view_members, …)
//              confer nothing; asset.open/change and endusers.view/manage_access (DEV) hold for that
//              app only. "(app member's app)" rows target an app they hold Developer for.
//   endUser    holds one application role and no organization role: signed in, so refused with
//              ForbiddenError (not UnauthenticatedError) — an authenticated user without permission.
//   signedOut  no actor: UnauthenticatedError everywhere.
//
// Rules behind the cells that are decisions rather than a permission's purpose:
//   - Stage limits (AUTHZ-3): a stage-limited grant holds only in those stages, so each stage-bound
//     use case has one row per stage; groups belong to one stage (GRP-1).
//   - §12: "A View end-users grant limited to stages shows only end-users holding roles in those
//     stages": seeing an end-user's page or access needs endusers.view in a stage where they hold a
//     role. By AUTHZ-1 the same goes for an app-scope endusers.view and the end-users of that app.
//   - Roles are readable by whoever may see members or manage member access (they must be able to
//     tell what a member's role means); only users.manage_roles changes them (ROLE-3).
//   - Groups are organization-level objects spanning apps (endusers.manage_groups is
//     organization-only), so an app-scope endusers.view does not show them.
//   - Own things (my access, my sessions, navigation, the dashboard frame) are open to every
//     signed-in user whatever their permissions (UI-12, AUTH-4); the dashboard then shows only the
//     parts the viewer may see. The Check access form's options (every app and application role by
//     name) are for members — an end-user with no organization role is not one (USR-1).
//   - Inviting (AUTH-5): each grant chosen up front needs the permission that governs it (an
//     organization role: manage member access; a group or an end-user role: manage groups / manage
//     end-user access in its stage and app); the form opens for anyone who could grant something.
//   - Settings (ORG-3, UI-10): each section behind its permission — the organization's name
//     org.manage; stage names portfolio.manage_stages; stage sessions, self-registration and the
//     password rule users.manage_authentication; internal domains subscription.manage (seeing them
//     subscription.view); the SMTP server and its test email config.email — and the page opens for
//     whoever holds one. All are organization-only (AUTHZ-2: nothing at app scope) and neither
//     Developer nor the QA role holds any, so only the administrator gets in.
//   - Changing one's own password is an own thing (UI-12 on the portal, HOST-1 on a stage).
//   - A stage's account page (HOST-1) is for someone signed in to THAT stage: a portal session is
//     no sign-in to any stage, so from the portal every caller is unauthenticated there, even one
//     who also holds a live session on that stage. The same calls through a stage session are
//     allowed further down ("through a live stage session"), so the refusals are about the context.
//
// Each cell gets fresh targets, runs the use case as the principal and asserts: allow → it resolves
// and, for a mutation, an audit event with that action by that principal was written (a query
// changes nothing); deny → ForbiddenError; unauth → UnauthenticatedError; and on deny and unauth
// the whole database is unchanged (every table's row count and newest row version, before and after).

type Expected = 'allow' | 'deny' | 'unauth'
const A = 'allow'
const D = 'deny'
const U = 'unauth'

// prettier-ignore
const MATRIX = {
  //                                                                       admin developer qaRole appMember endUser signedOut
  // users (issue 2)
  'users: invite member':                                                  [A,    D,        D,     D,        D,      U],
  'users: invite with an organization role':                               [A,    D,        D,     D,        D,      U],
  'users: invite end-user with a role in DEV':                             [A,    A,        D,     D,        D,      U],
  'users: invite end-user with a role in QA':                              [A,    D,        A,     D,        D,      U],
  'users: invite end-user with a role in PRD':                             [A,    D,        D,     D,        D,      U],
  "users: invite end-user with a role of the app member's app in DEV":     [A,    A,        D,     A,        D,      U],
  'users: invite end-user into a group in QA':                             [A,    D,        A,     D,        D,      U],
  'users: invite end-user into a group in PRD':                            [A,    D,        D,     D,        D,      U],
  'users: get invite options':                                             [A,    A,        A,     A,        D,      U],
  'users: resend invitation':                                              [A,    D,        D,     D,        D,      U],
  'users: deactivate user':                                                [A,    D,        D,     D,        D,      U],
  'users: activate user':                                                  [A,    D,        D,     D,        D,      U],
  'users: delete user':                                                    [A,    D,        D,     D,        D,      U],
  'users: set organization role':                                          [A,    D,        D,     D,        D,      U],
  'users: revoke all sessions of a user':                                  [A,    D,        D,     D,        D,      U],
  'users: unlock user':                                                    [A,    D,        D,     D,        D,      U],
  'users: list my sessions':                                               [A,    A,        A,     A,        A,      U],
  'users: revoke my session':                                              [A,    A,        A,     A,        A,      U],
  'users: revoke my other sessions':                                       [A,    A,        A,     A,        A,      U],
  'users: get user (member)':                                              [A,    A,        A,     D,        D,      U],
  'users: get user (end-user in DEV)':                                     [A,    A,        D,     D,        D,      U],
  'users: get user (end-user in QA)':                                      [A,    D,        A,     D,        D,      U],
  'users: get user (end-user in PRD)':                                     [A,    D,        D,     D,        D,      U],
  "users: get user (end-user of the app member's app in DEV)":             [A,    A,        D,     A,        D,      U],
  'users: list users':                                                     [A,    A,        A,     A,        D,      U],
  // access (issue 3)
  'access: set role grant (organization scope)':                           [A,    D,        D,     D,        D,      U],
  'access: set role grant (app scope)':                                    [A,    D,        D,     D,        D,      U],
  'access: get grant options':                                             [A,    D,        D,     D,        D,      U],
  'access: set end-user roles (DEV)':                                      [A,    A,        D,     D,        D,      U],
  'access: set end-user roles (QA)':                                       [A,    D,        A,     D,        D,      U],
  'access: set end-user roles (PRD)':                                      [A,    D,        D,     D,        D,      U],
  "access: set end-user roles (app member's app, DEV)":                    [A,    A,        D,     A,        D,      U],
  "access: set end-user roles (app member's app, QA)":                     [A,    D,        A,     D,        D,      U],
  'access: get end-user access (end-user in DEV)':                         [A,    A,        D,     D,        D,      U],
  'access: get end-user access (end-user in QA)':                          [A,    D,        A,     D,        D,      U],
  "access: get end-user access (end-user of the app member's app in DEV)": [A,    A,        D,     A,        D,      U],
  'access: get user access (member)':                                      [A,    A,        A,     D,        D,      U],
  'access: get user access (end-user in QA)':                              [A,    D,        A,     D,        D,      U],
  'access: get my access':                                                 [A,    A,        A,     A,        A,      U],
  'access: who has access (DEV)':                                          [A,    A,        D,     D,        D,      U],
  'access: who has access (QA)':                                           [A,    D,        A,     D,        D,      U],
  'access: who has access (PRD)':                                          [A,    D,        D,     D,        D,      U],
  "access: who has access (app member's app, DEV)":                        [A,    A,        D,     A,        D,      U],
  'access: check access (member, a permission)':                           [A,    A,        A,     D,        D,      U],
  'access: check access (end-user in QA, an end-user role)':               [A,    D,        A,     D,        D,      U],
  'access: get check options':                                             [A,    A,        A,     A,        D,      U],
  // organization roles
  'roles: list roles':                                                     [A,    A,        A,     D,        D,      U],
  'roles: get role':                                                       [A,    A,        A,     D,        D,      U],
  'roles: list role holders':                                              [A,    A,        A,     D,        D,      U],
  'roles: get permission registry':                                        [A,    D,        D,     D,        D,      U],
  'roles: list role options':                                              [A,    D,        D,     D,        D,      U],
  'roles: create role':                                                    [A,    D,        D,     D,        D,      U],
  'roles: update role':                                                    [A,    D,        D,     D,        D,      U],
  'roles: duplicate role':                                                 [A,    D,        D,     D,        D,      U],
  'roles: delete role':                                                    [A,    D,        D,     D,        D,      U],
  'roles: preview role change':                                            [A,    D,        D,     D,        D,      U],
  'roles: preview role deletion':                                          [A,    D,        D,     D,        D,      U],
  // apps and their end-user roles (asset.open / create / change / delete)
  'apps: list apps':                                                       [A,    A,        D,     A,        D,      U],
  "apps: get app (app member's app)":                                      [A,    A,        D,     A,        D,      U],
  'apps: get app (other app)':                                             [A,    A,        D,     D,        D,      U],
  'apps: get new app options':                                             [A,    A,        D,     D,        D,      U],
  'apps: create app':                                                      [A,    A,        D,     D,        D,      U],
  "apps: update app (app member's app)":                                   [A,    A,        D,     A,        D,      U],
  'apps: update app (other app)':                                          [A,    A,        D,     D,        D,      U],
  "apps: preview app stages (app member's app)":                           [A,    A,        D,     A,        D,      U],
  "apps: preview app deletion (app member's app)":                         [A,    D,        D,     D,        D,      U],
  "apps: delete app (app member's app)":                                   [A,    D,        D,     D,        D,      U],
  "apps: create app role (app member's app)":                              [A,    A,        D,     A,        D,      U],
  'apps: create app role (other app)':                                     [A,    A,        D,     D,        D,      U],
  "apps: update app role (app member's app)":                              [A,    A,        D,     A,        D,      U],
  'apps: update app role (other app)':                                     [A,    A,        D,     D,        D,      U],
  "apps: preview app role deletion (app member's app)":                    [A,    A,        D,     A,        D,      U],
  "apps: delete app role (app member's app)":                              [A,    A,        D,     A,        D,      U],
  'apps: delete app role (other app)':                                     [A,    A,        D,     D,        D,      U],
  'apps: list app role instances':                                         [A,    A,        A,     A,        D,      U],
  // end-user groups (endusers.view / endusers.manage_groups in the group's stage)
  'groups: list groups':                                                   [A,    A,        A,     D,        D,      U],
  'groups: list group stages':                                             [A,    D,        A,     D,        D,      U],
  'groups: create group in DEV':                                           [A,    D,        D,     D,        D,      U],
  'groups: create group in QA':                                            [A,    D,        A,     D,        D,      U],
  'groups: create group in PRD':                                           [A,    D,        D,     D,        D,      U],
  'groups: get group in DEV':                                              [A,    A,        D,     D,        D,      U],
  'groups: get group in QA':                                               [A,    D,        A,     D,        D,      U],
  'groups: get group in PRD':                                              [A,    D,        D,     D,        D,      U],
  'groups: list group members in DEV':                                     [A,    A,        D,     D,        D,      U],
  'groups: list group members in QA':                                      [A,    D,        A,     D,        D,      U],
  'groups: list group members in PRD':                                     [A,    D,        D,     D,        D,      U],
  'groups: update group in QA':                                            [A,    D,        A,     D,        D,      U],
  'groups: update group in PRD':                                           [A,    D,        D,     D,        D,      U],
  'groups: set group roles in DEV':                                        [A,    D,        D,     D,        D,      U],
  'groups: set group roles in QA':                                         [A,    D,        A,     D,        D,      U],
  'groups: set group roles in PRD':                                        [A,    D,        D,     D,        D,      U],
  'groups: preview group roles in QA':                                     [A,    D,        A,     D,        D,      U],
  'groups: preview group roles in PRD':                                    [A,    D,        D,     D,        D,      U],
  'groups: add group member in QA':                                        [A,    D,        A,     D,        D,      U],
  'groups: add group member in PRD':                                       [A,    D,        D,     D,        D,      U],
  'groups: remove group member in QA':                                     [A,    D,        A,     D,        D,      U],
  'groups: remove group member in PRD':                                    [A,    D,        D,     D,        D,      U],
  'groups: set user group membership in QA':                               [A,    D,        A,     D,        D,      U],
  'groups: set user group membership in PRD':                              [A,    D,        D,     D,        D,      U],
  'groups: preview group deletion in QA':                                  [A,    D,        A,     D,        D,      U],
  'groups: preview group deletion in PRD':                                 [A,    D,        D,     D,        D,      U],
  'groups: delete group in QA':                                            [A,    D,        A,     D,        D,      U],
  'groups: delete group in PRD':                                           [A,    D,        D,     D,        D,      U],
  'groups: list user groups':                                              [A,    A,        A,     D,        D,      U],
  // API clients (users.manage_api_clients, organization-only: APIC-1; nobody but the administrator holds it)
  'api clients: list API clients':                                         [A,    D,        D,     D,        D,      U],
  'api clients: get API client':                                           [A,    D,        D,     D,        D,      U],
  'api clients: get new API client options':                               [A,    D,        D,     D,        D,      U],
  'api clients: create API client':                                        [A,    D,        D,     D,        D,      U],
  'api clients: update API client':                                        [A,    D,        D,     D,        D,      U],
  'api clients: set API client permissions':                               [A,    D,        D,     D,        D,      U],
  'api clients: rotate API client secret':                                 [A,    D,        D,     D,        D,      U],
  'api clients: suspend API client':                                       [A,    D,        D,     D,        D,      U],
  'api clients: resume API client':                                        [A,    D,        D,     D,        D,      U],
  'api clients: delete API client':                                        [A,    D,        D,     D,        D,      U],
  // token signing keys (APIC-3; rotating needs org.manage, which only the administrator holds)
  'signing keys: rotate signing key':                                      [A,    D,        D,     D,        D,      U],
  // audit trail, dashboard, navigation, development mailbox
  'audit: list audit events':                                              [A,    D,        D,     D,        D,      U],
  'audit: list audit actions':                                             [A,    D,        D,     D,        D,      U],
  'dashboard: get dashboard':                                              [A,    A,        A,     A,        A,      U],
  'me: get navigation':                                                    [A,    A,        A,     A,        A,      U],
  'mail: list mailbox':                                                    [A,    D,        D,     D,        D,      U],
  // settings (one organization-wide permission per section)
  'settings: get settings':                                                [A,    D,        D,     D,        D,      U],
  'settings: update organization name':                                    [A,    D,        D,     D,        D,      U],
  'settings: update password policy':                                      [A,    D,        D,     D,        D,      U],
  'settings: rename stage':                                                [A,    D,        D,     D,        D,      U],
  'settings: preview stage sessions':                                      [A,    D,        D,     D,        D,      U],
  'settings: update stage sessions':                                       [A,    D,        D,     D,        D,      U],
  'settings: update self-registration':                                    [A,    D,        D,     D,        D,      U],
  'settings: update internal domains':                                     [A,    D,        D,     D,        D,      U],
  'settings: save email settings':                                         [A,    D,        D,     D,        D,      U],
  'settings: remove email settings':                                       [A,    D,        D,     D,        D,      U],
  'settings: send test email':                                             [A,    D,        D,     D,        D,      U],
  // own password
  'me: change my password':                                                [A,    A,        A,     A,        A,      U],
  // a stage's account page, called with a portal session
  'hosted: get my DEV account (portal session)':                           [U,    U,        U,     U,        U,      U],
  'hosted: update my profile (portal session)':                            [U,    U,        U,     U,        U,      U],
  'hosted: revoke my DEV stage session (portal session)':                  [U,    U,        U,     U,        U,      U],
  'hosted: revoke my other DEV stage sessions (portal session)':           [U,    U,        U,     U,        U,      U],
} as const satisfies Record<string, readonly [Expected, Expected, Expected, Expected, Expected, Expected]>

type Operation = keyof typeof MATRIX

/**
 * How to run one operation: `prepare` creates the cell's fresh targets (as the test, not as the
 * principal) and returns the call to make as the principal. `audit` names the event a mutation
 * writes; an operation without one is a query and must change nothing.
 */
type Op = { audit?: string; prepare: (w: World, who: PrincipalName) => Promise<(ctx: Ctx) => Promise<unknown>> }

const stageOps = <T extends string>(stages: readonly StageCode[], name: (s: StageCode) => T, op: (s: StageCode) => Op) =>
  Object.fromEntries(stages.map((s) => [name(s), op(s)])) as Record<T, Op>

const OPS: Record<Operation, Op> = {
  // users
  'users: invite member': {
    audit: 'member.invited',
    prepare: async (w) => (ctx) => inviteMember(ctx, { email: uniqueEmail('invitee'), name: 'Invitee', roleKey: w.roleKey.developer }),
  },
  'users: invite with an organization role': {
    audit: 'member.invited',
    prepare: async (w) => (ctx) => inviteUser(ctx, { email: uniqueEmail('invitee'), roleKey: w.roleKey.developer }),
  },
  ...stageOps(STAGES, (s) => `users: invite end-user with a role in ${s}` as const, (s) => inviteEndUserOp(s)),
  "users: invite end-user with a role of the app member's app in DEV": inviteEndUserOp('DEV', true),
  ...stageOps(['QA', 'PRD'], (s) => `users: invite end-user into a group in ${s}` as const, (s) =>
    withGroup(s, (g) => (ctx) => inviteUser(ctx, { email: uniqueEmail('joiner'), groupKeys: [g.groupKey] }), 'user.invited'),
  ),
  'users: get invite options': { prepare: async () => (ctx) => getInviteOptions(ctx) },
  'users: resend invitation': {
    audit: 'member.invitation_resent',
    prepare: async (w) => {
      const userKey = await newMember(w, { status: 'Invited' })
      return (ctx) => resendInvitation(ctx, { userKey })
    },
  },
  'users: deactivate user': {
    audit: 'user.deactivated',
    prepare: async (w) => {
      const userKey = await newMember(w)
      return (ctx) => deactivateUser(ctx, { userKey })
    },
  },
  'users: activate user': {
    audit: 'user.activated',
    prepare: async (w) => {
      const userKey = await newMember(w, { status: 'Inactive' })
      return (ctx) => activateUser(ctx, { userKey })
    },
  },
  'users: delete user': {
    audit: 'user.deleted',
    prepare: async (w) => {
      const userKey = await newMember(w)
      return (ctx) => deleteUser(ctx, { userKey })
    },
  },
  'users: set organization role': {
    audit: 'member.organization_role_changed',
    prepare: async (w) => {
      const userKey = await newMember(w)
      return (ctx) => setOrganizationRole(ctx, { userKey, roleKey: w.roleKey.qa })
    },
  },
  'users: revoke all sessions of a user': {
    audit: 'user.sessions_revoked',
    prepare: async (w) => {
      const userKey = await newMember(w)
      await openSession(userKey)
      return (ctx) => revokeAllUserSessions(ctx, { userKey })
    },
  },
  'users: unlock user': {
    audit: 'user.unlocked',
    prepare: async (w) => {
      const userKey = await newMember(w)
      await (await getDb()).update(userCredentials).set({ failedAttempts: 5, lockedUntil: new Date(Date.now() + 60_000) }).where(eq(userCredentials.userKey, userKey))
      return (ctx) => unlockUser(ctx, { userKey })
    },
  },
  'users: list my sessions': {
    prepare: async (w, who) => {
      const current = await sessionOf(w, who)
      return (ctx) => listMySessions(signedInWith(ctx, current))
    },
  },
  'users: revoke my session': {
    audit: 'session.revoked',
    prepare: async (w, who) => {
      // Signed in through one session, ending another of their own.
      const current = await sessionOf(w, who)
      const other = (await sessionOf(w, who)) ?? 'f'.repeat(64)
      return (ctx) => revokeMySession(signedInWith(ctx, current), { id: other })
    },
  },
  'users: revoke my other sessions': {
    audit: 'session.revoked_others',
    prepare: async (w, who) => {
      const current = await sessionOf(w, who)
      await sessionOf(w, who)
      return (ctx) => revokeMyOtherSessions(signedInWith(ctx, current))
    },
  },
  'users: get user (member)': {
    prepare: async (w) => {
      const userKey = await newMember(w)
      return (ctx) => getUser(ctx, { userKey })
    },
  },
  ...stageOps(STAGES, (s) => `users: get user (end-user in ${s})` as const, (s) => ({
    prepare: async (w) => {
      const { userKey } = await newEndUser(w, s)
      return (ctx) => getUser(ctx, { userKey })
    },
  })),
  "users: get user (end-user of the app member's app in DEV)": {
    prepare: async (w) => {
      const { userKey } = await newEndUser(w, 'DEV', { ofAppMember: true })
      return (ctx) => getUser(ctx, { userKey })
    },
  },
  'users: list users': { prepare: async () => (ctx) => listUsers(ctx, {}) },

  // access
  'access: set role grant (organization scope)': {
    audit: 'member.organization_role_changed',
    prepare: async (w) => {
      const userKey = await insertUser()
      return (ctx) => setRoleGrant(ctx, { userKey, roleKey: w.roleKey.developer })
    },
  },
  'access: set role grant (app scope)': {
    audit: 'member.app_role_changed',
    prepare: async (w) => {
      const userKey = await insertUser()
      const app = await newApp(w)
      return (ctx) => setRoleGrant(ctx, { userKey, appKey: app.key, roleKey: w.roleKey.developer })
    },
  },
  'access: get grant options': { prepare: async () => (ctx) => getGrantOptions(ctx) },
  ...stageOps(STAGES, (s) => `access: set end-user roles (${s})` as const, (s) => setEndUserRolesOp(s)),
  "access: set end-user roles (app member's app, DEV)": setEndUserRolesOp('DEV', true),
  "access: set end-user roles (app member's app, QA)": setEndUserRolesOp('QA', true),
  'access: get end-user access (end-user in DEV)': getEndUserAccessOp('DEV'),
  'access: get end-user access (end-user in QA)': getEndUserAccessOp('QA'),
  "access: get end-user access (end-user of the app member's app in DEV)": getEndUserAccessOp('DEV', true),
  'access: get user access (member)': {
    prepare: async (w) => {
      const userKey = await newMember(w)
      return (ctx) => getUserAccess(ctx, { userKey })
    },
  },
  'access: get user access (end-user in QA)': {
    prepare: async (w) => {
      const { userKey } = await newEndUser(w, 'QA')
      return (ctx) => getUserAccess(ctx, { userKey })
    },
  },
  'access: get my access': { prepare: async () => (ctx) => getMyAccess(ctx) },
  ...stageOps(STAGES, (s) => `access: who has access (${s})` as const, (s) => withApp(false, (app, w) => (ctx) => whoHasAccess(ctx, { appKey: app.key, stageKey: w.stage[s] }))),
  "access: who has access (app member's app, DEV)": withApp(true, (app, w) => (ctx) => whoHasAccess(ctx, { appKey: app.key, stageKey: w.stage.DEV })),
  'access: check access (member, a permission)': {
    prepare: async (w) => {
      const userKey = await newMember(w)
      return (ctx) => checkAccess(ctx, { user: userKey, permission: 'asset.open' })
    },
  },
  'access: check access (end-user in QA, an end-user role)': {
    prepare: async (w) => {
      const { userKey, app } = await newEndUser(w, 'QA')
      return (ctx) => checkAccess(ctx, { user: userKey, appRoleKey: app.roleKey, appKey: app.key, stageKey: w.stage.QA })
    },
  },
  'access: get check options': { prepare: async () => (ctx) => getCheckOptions(ctx) },

  // roles
  'roles: list roles': { prepare: async () => (ctx) => listRoles(ctx) },
  'roles: get role': withCustomRole((roleKey) => (ctx) => getRole(ctx, { roleKey })),
  'roles: list role holders': withCustomRole((roleKey) => (ctx) => listRoleHolders(ctx, { roleKey })),
  'roles: get permission registry': { prepare: async () => (ctx) => getPermissionRegistry(ctx) },
  'roles: list role options': { prepare: async () => (ctx) => listRoleOptions(ctx) },
  'roles: create role': {
    audit: 'role.created',
    prepare: async () => (ctx) => createRole(ctx, { name: uniq('Role'), description: '', permissions: [{ slug: 'asset.open' }] }),
  },
  'roles: update role': withCustomRole(
    (roleKey) => (ctx) => updateRole(ctx, { roleKey, version: 1, name: uniq('Renamed'), description: 'changed', permissions: [{ slug: 'asset.open' }, { slug: 'asset.delete' }] }),
    'role.updated',
  ),
  'roles: duplicate role': withCustomRole((roleKey) => (ctx) => duplicateRole(ctx, { roleKey }), 'role.duplicated'),
  'roles: delete role': withCustomRole((roleKey) => (ctx) => deleteRole(ctx, { roleKey }), 'role.deleted'),
  'roles: preview role change': withCustomRole((roleKey) => (ctx) => previewRoleChange(ctx, { roleKey, permissions: [] })),
  'roles: preview role deletion': withCustomRole((roleKey) => (ctx) => previewRoleDeletion(ctx, { roleKey })),

  // apps
  'apps: list apps': { prepare: async () => (ctx) => listApps(ctx, {}) },
  "apps: get app (app member's app)": withApp(true, (app) => (ctx) => getApp(ctx, { appKey: app.key })),
  'apps: get app (other app)': withApp(false, (app) => (ctx) => getApp(ctx, { appKey: app.key })),
  'apps: get new app options': { prepare: async () => (ctx) => getNewAppOptions(ctx) },
  'apps: create app': {
    audit: 'app.created',
    prepare: async (w) => (ctx) => createApp(ctx, { name: uniq('New app'), description: '', stageKeys: Object.values(w.stage) }),
  },
  "apps: update app (app member's app)": withApp(true, (app, w) => (ctx) => updateApp(ctx, { appKey: app.key, version: 1, name: uniq('Renamed app'), description: 'changed', stageKeys: Object.values(w.stage) }), 'app.updated'),
  'apps: update app (other app)': withApp(false, (app, w) => (ctx) => updateApp(ctx, { appKey: app.key, version: 1, name: uniq('Renamed app'), description: 'changed', stageKeys: Object.values(w.stage) }), 'app.updated'),
  "apps: preview app stages (app member's app)": withApp(true, (app, w) => (ctx) => previewAppStages(ctx, { appKey: app.key, stageKeys: [w.stage.DEV] })),
  "apps: preview app deletion (app member's app)": withApp(true, (app) => (ctx) => previewAppDeletion(ctx, { appKey: app.key })),
  "apps: delete app (app member's app)": withApp(true, (app) => (ctx) => deleteApp(ctx, { appKey: app.key }), 'app.deleted'),
  "apps: create app role (app member's app)": withApp(true, (app) => (ctx) => createAppRole(ctx, { appKey: app.key, name: uniq('Approver') }), 'app_role.created'),
  'apps: create app role (other app)': withApp(false, (app) => (ctx) => createAppRole(ctx, { appKey: app.key, name: uniq('Approver') }), 'app_role.created'),
  "apps: update app role (app member's app)": withApp(true, (app) => (ctx) => updateAppRole(ctx, { roleKey: app.roleKey, version: 1, name: uniq('Renamed role'), description: 'changed' }), 'app_role.updated'),
  'apps: update app role (other app)': withApp(false, (app) => (ctx) => updateAppRole(ctx, { roleKey: app.roleKey, version: 1, name: uniq('Renamed role'), description: 'changed' }), 'app_role.updated'),
  "apps: preview app role deletion (app member's app)": withApp(true, (app) => (ctx) => previewAppRoleDeletion(ctx, { roleKey: app.roleKey })),
  "apps: delete app role (app member's app)": withApp(true, (app) => (ctx) => deleteAppRole(ctx, { roleKey: app.roleKey }), 'app_role.deleted'),
  'apps: delete app role (other app)': withApp(false, (app) => (ctx) => deleteAppRole(ctx, { roleKey: app.roleKey }), 'app_role.deleted'),
  'apps: list app role instances': { prepare: async () => (ctx) => listAppRoleInstances(ctx, {}) },

  // groups
  'groups: list groups': { prepare: async () => (ctx) => listGroups(ctx, {}) },
  'groups: list group stages': { prepare: async () => (ctx) => listGroupStages(ctx) },
  ...stageOps(STAGES, (s) => `groups: create group in ${s}` as const, (s) => ({
    audit: 'group.created',
    prepare: async (w) => (ctx) => createGroup(ctx, { name: uniq('Group'), description: '', stageKey: w.stage[s] }),
  })),
  ...stageOps(STAGES, (s) => `groups: get group in ${s}` as const, (s) => withGroup(s, (g) => (ctx) => getGroup(ctx, { groupKey: g.groupKey }))),
  ...stageOps(STAGES, (s) => `groups: list group members in ${s}` as const, (s) => withGroup(s, (g) => (ctx) => listGroupMembers(ctx, { groupKey: g.groupKey }))),
  ...stageOps(['QA', 'PRD'], (s) => `groups: update group in ${s}` as const, (s) =>
    withGroup(s, (g) => (ctx) => updateGroup(ctx, { groupKey: g.groupKey, name: uniq('Renamed group'), description: 'changed', version: 1 }), 'group.updated'),
  ),
  ...stageOps(STAGES, (s) => `groups: set group roles in ${s}` as const, (s) => ({
    audit: 'group.roles_changed',
    prepare: async (w) => {
      const g = await newGroup(w, s)
      const other = await newApp(w)
      return (ctx) => setGroupRoles(ctx, { groupKey: g.groupKey, instanceKeys: [g.app.instances.get(s)!, other.instances.get(s)!], version: 1 })
    },
  })),
  ...stageOps(['QA', 'PRD'], (s) => `groups: preview group roles in ${s}` as const, (s) => withGroup(s, (g) => (ctx) => previewGroupRoles(ctx, { groupKey: g.groupKey, instanceKeys: [] }))),
  ...stageOps(['QA', 'PRD'], (s) => `groups: add group member in ${s}` as const, (s) => ({
    audit: 'group.member_added',
    prepare: async (w) => {
      const g = await newGroup(w, s)
      const email = uniqueEmail('joiner')
      await insertUser({ email })
      return (ctx) => addGroupMember(ctx, { groupKey: g.groupKey, email })
    },
  })),
  ...stageOps(['QA', 'PRD'], (s) => `groups: remove group member in ${s}` as const, (s) =>
    withGroup(s, (g) => (ctx) => removeGroupMember(ctx, { groupKey: g.groupKey, userKey: g.memberKey }), 'group.member_removed'),
  ),
  ...stageOps(['QA', 'PRD'], (s) => `groups: set user group membership in ${s}` as const, (s) => ({
    audit: 'group.member_added',
    prepare: async (w) => {
      const g = await newGroup(w, s)
      const userKey = await insertUser()
      return (ctx) => setUserGroupMembership(ctx, { userKey, groupKey: g.groupKey, member: true })
    },
  })),
  ...stageOps(['QA', 'PRD'], (s) => `groups: preview group deletion in ${s}` as const, (s) => withGroup(s, (g) => (ctx) => previewGroupDeletion(ctx, { groupKey: g.groupKey }))),
  ...stageOps(['QA', 'PRD'], (s) => `groups: delete group in ${s}` as const, (s) => withGroup(s, (g) => (ctx) => deleteGroup(ctx, { groupKey: g.groupKey, version: 1 }), 'group.deleted')),
  'groups: list user groups': {
    prepare: async (w) => {
      const g = await newGroup(w, 'QA')
      return (ctx) => listUserGroups(ctx, { userKey: g.memberKey })
    },
  },

  // API clients: a fresh client per cell, so no cell's change decides another's
  'api clients: list API clients': {
    prepare: async (w) => {
      await newApiClient(w)
      return (ctx) => listApiClients(ctx, {})
    },
  },
  'api clients: get API client': withApiClient((c) => (ctx) => getApiClient(ctx, { clientKey: c.clientKey })),
  'api clients: get new API client options': { prepare: async () => (ctx) => getNewApiClientOptions(ctx) },
  'api clients: create API client': {
    audit: 'api_client.created',
    prepare: async (w) => {
      // Hundreds of cells create clients; the limit (APIC-1) has its own test.
      await (await getDb()).update(organizations).set({ apiClientLimit: 100_000 })
      return (ctx) => createApiClient(ctx, { name: uniq('API client'), permissions: [{ slug: 'endusers.view', stageKeys: [w.stage.QA] }] })
    },
  },
  'api clients: update API client': withApiClient((c) => (ctx) => updateApiClient(ctx, { clientKey: c.clientKey, name: uniq('Renamed client'), description: 'changed', version: 1 }), 'api_client.updated'),
  'api clients: set API client permissions': withApiClient((c) => (ctx) => setApiClientPermissions(ctx, { clientKey: c.clientKey, permissions: [{ slug: 'users.manage', stageKeys: null }], version: 1 }), 'api_client.permissions_changed'),
  'api clients: rotate API client secret': withApiClient((c) => (ctx) => rotateApiClientSecret(ctx, { clientKey: c.clientKey, overlapHours: 24 }), 'api_client.secret_rotated'),
  'api clients: suspend API client': withApiClient((c) => (ctx) => suspendApiClient(ctx, { clientKey: c.clientKey }), 'api_client.suspended'),
  'api clients: resume API client': withApiClient((c) => (ctx) => resumeApiClient(ctx, { clientKey: c.clientKey }), 'api_client.resumed', { suspended: true }),
  'api clients: delete API client': withApiClient((c) => (ctx) => deleteApiClient(ctx, { clientKey: c.clientKey }), 'api_client.deleted'),

  // token signing keys: the old key retires (still published), a new one signs
  'signing keys: rotate signing key': { audit: 'signing_key.rotated', prepare: async () => (ctx) => rotateSigningKey(ctx) },

  // audit, dashboard, navigation, mailbox
  'audit: list audit events': { prepare: async () => (ctx) => listAuditEvents(ctx, {}) },
  'audit: list audit actions': { prepare: async () => (ctx) => listAuditActions(ctx) },
  'dashboard: get dashboard': { prepare: async () => (ctx) => getDashboard(ctx) },
  'me: get navigation': { prepare: async () => (ctx) => getNavigation(ctx) },
  'mail: list mailbox': { prepare: async () => (ctx) => listMailbox(ctx, {}) },

  // settings
  'settings: get settings': { prepare: async () => (ctx) => getSettings(ctx) },
  'settings: update organization name': { audit: 'organization.renamed', prepare: async () => (ctx) => updateOrganizationName(ctx, { name: uniq('Acme') }) },
  'settings: update password policy': {
    audit: 'organization.password_policy_changed',
    prepare: async () => {
      await (await getDb()).update(organizations).set({ passwordPolicy: 'odc' })
      return (ctx) => updatePasswordPolicy(ctx, { mode: 'asvs' })
    },
  },
  'settings: rename stage': { audit: 'stage.renamed', prepare: async (w) => (ctx) => renameStage(ctx, { stageKey: w.stage.PRD, name: uniq('Production') }) },
  'settings: preview stage sessions': {
    prepare: async (w) => {
      await openStageSessionOf(await insertUser(), w.stage.PRD)
      return (ctx) => previewStageSessions(ctx, { stageKey: w.stage.PRD, maxValue: 1, maxUnit: 'days', idleValue: 2, idleUnit: 'hours' })
    },
  },
  'settings: update stage sessions': {
    audit: 'stage.sessions_changed',
    prepare: async (w) => {
      await (await getDb()).update(stages).set({ sessionMaxMinutes: 720, sessionIdleMinutes: 720 }).where(eq(stages.key, w.stage.PRD))
      // A live session for the change to end: a refusal must leave it live.
      await openStageSessionOf(await insertUser(), w.stage.PRD)
      return (ctx) => updateStageSessions(ctx, { stageKey: w.stage.PRD, maxValue: 1, maxUnit: 'days', idleValue: 2, idleUnit: 'hours' })
    },
  },
  'settings: update self-registration': {
    audit: 'stage.self_registration_changed',
    prepare: async (w) => {
      const g = await newGroup(w, 'QA')
      return (ctx) => updateSelfRegistration(ctx, { stageKey: w.stage.QA, enabled: true, allowedDomains: ['example.test'], groupKeys: [g.groupKey] })
    },
  },
  'settings: update internal domains': {
    audit: 'organization.internal_domains_changed',
    prepare: async () => (ctx) => updateInternalDomains(ctx, { domains: [`${uniq('internal').replace(/\W/g, '-')}.example.test`] }),
  },
  'settings: save email settings': {
    audit: 'email_settings.created',
    prepare: async () => {
      await setEmailSettings(false)
      onTestFinished(() => setEmailSettings(false))
      return (ctx) => saveEmailSettings(ctx, { host: 'smtp.example.test', port: 587, security: 'starttls', fromName: 'Acme', fromAddress: 'mail@example.test' })
    },
  },
  'settings: remove email settings': {
    audit: 'email_settings.removed',
    prepare: async () => {
      await setEmailSettings(true)
      onTestFinished(() => setEmailSettings(false))
      return (ctx) => removeEmailSettings(ctx, {})
    },
  },
  // No SMTP server saved and no SMTP_URL in tests: the test email stays in the outbox.
  'settings: send test email': {
    audit: 'email_settings.test_sent',
    prepare: async () => async (ctx) => expect(await sendTestEmail(ctx, { to: uniqueEmail('test-mail') })).toEqual({ delivered: false, via: 'outbox' }),
  },

  // own password, through the portal session in use (it stays; the others end)
  'me: change my password': {
    audit: 'user.password_changed',
    prepare: async (w, who) => {
      const current = await sessionOf(w, who)
      if (who !== 'signedOut') await setPassword(w.users[who].key, PASSWORD)
      return (ctx) => changePassword(signedInWith(ctx, current), { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
    },
  },

  // a stage's account page from the portal: the caller also holds a live DEV session of their own,
  // so only the context they call from is wrong
  'hosted: get my DEV account (portal session)': fromPortal(async (w, portal) => (ctx) => getStageAccount(signedInWith(ctx, portal), { stageKey: w.stage.DEV })),
  'hosted: update my profile (portal session)': fromPortal(async (w, portal) => (ctx) => updateOwnProfile(signedInWith(ctx, portal), { name: uniq('Renamed'), photoUrl: '', stageKey: w.stage.DEV }), 'user.profile_updated'),
  'hosted: revoke my DEV stage session (portal session)': fromPortal(
    async (w, portal, onDev) => (ctx) => revokeOwnStageSession(signedInWith(ctx, portal), { stageKey: w.stage.DEV, sessionId: sessionHandle(onDev) }),
    'session.revoked',
  ),
  'hosted: revoke my other DEV stage sessions (portal session)': fromPortal(
    async (w, portal) => (ctx) => revokeOtherStageSessions(signedInWith(ctx, portal), { stageKey: w.stage.DEV }),
    'session.revoked_others',
  ),
}

const NEW_PASSWORD = 'Quiet-Harbour-Matrix-2026'

/**
 * A stage account call made with the principal's portal session (none when signed out), while the
 * principal (a fresh user when signed out) also holds a live DEV stage session, `onDev`.
 */
function fromPortal(call: (w: World, portal: string | undefined, onDev: string) => Promise<(ctx: Ctx) => Promise<unknown>>, audit?: string): Op {
  return {
    audit,
    prepare: async (w, who) => {
      const portal = await sessionOf(w, who)
      const onDev = await openStageSessionOf(who === 'signedOut' ? await insertUser() : w.users[who].key, w.stage.DEV)
      return call(w, portal, onDev)
    },
  }
}

/**
 * The stage account use cases through a live DEV stage session of the end-user (HOST-1): the
 * allowed counterpart of the "(portal session)" rows above.
 */
const ON_STAGE: Record<string, Op> = {
  'get my DEV account': onDev(async (w, current) => (ctx) => getStageAccount(signedInWith(ctx, current), { stageKey: w.stage.DEV })),
  'update my profile': onDev(async (w, current) => (ctx) => updateOwnProfile(signedInWith(ctx, current), { name: uniq('End User'), photoUrl: '', stageKey: w.stage.DEV }), 'user.profile_updated'),
  'change my password': onDev(async (w, current) => {
    await setPassword(w.users.endUser.key, PASSWORD)
    return (ctx) => changePassword(signedInWith(ctx, current), { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
  }, 'user.password_changed'),
  'revoke another of my DEV stage sessions': onDev(async (w, current) => {
    const other = await openStageSessionOf(w.users.endUser.key, w.stage.DEV)
    return (ctx) => revokeOwnStageSession(signedInWith(ctx, current), { stageKey: w.stage.DEV, sessionId: sessionHandle(other) })
  }, 'session.revoked'),
  'revoke my other DEV stage sessions': onDev(async (w, current) => {
    await openStageSessionOf(w.users.endUser.key, w.stage.DEV)
    return (ctx) => revokeOtherStageSessions(signedInWith(ctx, current), { stageKey: w.stage.DEV })
  }, 'session.revoked_others'),
}

function onDev(call: (w: World, current: string) => Promise<(ctx: Ctx) => Promise<unknown>>, audit?: string): Op {
  return { audit, prepare: async (w) => call(w, await openStageSessionOf(w.users.endUser.key, w.stage.DEV)) }
}

function setEndUserRolesOp(stage: StageCode, ofAppMember = false): Op {
  return {
    audit: 'enduser.roles_changed',
    prepare: async (w) => {
      const app = await newApp(w, { ofAppMember })
      const userKey = await insertUser()
      return (ctx) => setEndUserRoles(ctx, { userKey, appKeys: [app.key], instanceKeys: [app.instances.get(stage)!] })
    },
  }
}

function inviteEndUserOp(stage: StageCode, ofAppMember = false): Op {
  return withApp(ofAppMember, (app) => (ctx) => inviteUser(ctx, { email: uniqueEmail('end-user'), instanceKeys: [app.instances.get(stage)!] }), 'user.invited')
}

function getEndUserAccessOp(stage: StageCode, ofAppMember = false): Op {
  return {
    prepare: async (w) => {
      const { userKey } = await newEndUser(w, stage, { ofAppMember })
      return (ctx) => getEndUserAccess(ctx, { userKey })
    },
  }
}

function withCustomRole(call: (roleKey: string) => (ctx: Ctx) => Promise<unknown>, audit?: string): Op {
  return {
    audit,
    prepare: async (w) => {
      const roleKey = await insertRole(uniq('Custom'), [{ slug: 'asset.open' }, { slug: 'endusers.view', stages: ['QA'] }])
      // Someone holds it, so holders and impact have something to show.
      await newMember(w, { roleKey })
      return call(roleKey)
    },
  }
}

function withApp(ofAppMember: boolean, call: (app: Awaited<ReturnType<typeof newApp>>, w: World) => (ctx: Ctx) => Promise<unknown>, audit?: string): Op {
  return { audit, prepare: async (w) => call(await newApp(w, { ofAppMember }), w) }
}

function withApiClient(call: (c: Awaited<ReturnType<typeof newApiClient>>) => (ctx: Ctx) => Promise<unknown>, audit?: string, opts: { suspended?: boolean } = {}): Op {
  return { audit, prepare: async (w) => call(await newApiClient(w, opts)) }
}

function withGroup(stage: StageCode, call: (g: Awaited<ReturnType<typeof newGroup>>) => (ctx: Ctx) => Promise<unknown>, audit?: string): Op {
  return { audit, prepare: async (w) => call(await newGroup(w, stage)) }
}

const cells = (Object.keys(MATRIX) as Operation[]).flatMap((op) => PRINCIPALS.map((who, i) => ({ op, who, expected: MATRIX[op][i] as Expected })))

async function outcome(call: Promise<unknown>): Promise<Expected> {
  try {
    await call
    return 'allow'
  } catch (error) {
    if (error instanceof UnauthenticatedError) return 'unauth'
    if (error instanceof ForbiddenError) return 'deny'
    // Check access answers "not a user you may see" exactly as it answers "no such user", so that
    // the form does not reveal who has an account: that answer is its refusal.
    if (error instanceof ValidationError && error.message === 'No user you may see has that email address.') return 'deny'
    throw error
  }
}

// UI-13: the navigation shows exactly the sections the member may use. Derived from the table
// above: each link is shown when the use case behind that section's page is allowed.
const SECTION: Record<keyof Navigation, Operation> = {
  users: 'users: list users',
  invite: 'users: get invite options',
  roles: 'roles: list roles',
  apps: 'apps: list apps',
  groups: 'groups: list groups',
  apiClients: 'api clients: list API clients',
  audit: 'audit: list audit events',
  mailbox: 'mail: list mailbox',
  settings: 'settings: get settings',
}

describe('authorization matrix (Q-2)', () => {
  useTestDatabase()
  let w: World

  beforeAll(async () => {
    w = await buildWorld()
  })

  async function runCell({ audit, prepare }: Op, who: PrincipalName, expected: Expected) {
    const call = await prepare(w, who)
    const changes = expected === 'allow' && audit !== undefined
    const before = changes ? undefined : await fingerprint()
    const auditMark = changes ? await lastAuditId() : 0

    expect(await outcome(call(w.ctx(who)))).toBe(expected)

    if (changes) {
      const written = await auditSince(auditMark)
      expect(written.map((e) => ({ action: e.action, actorKey: e.actorKey }))).toContainEqual({ action: audit, actorKey: w.users[who as Exclude<PrincipalName, 'signedOut'>].key })
    } else {
      // A refusal — and any query — leaves every table as it was.
      expect(await fingerprint()).toEqual(before)
    }
  }

  it.each(cells)('$op × $who → $expected', ({ op, who, expected }) => runCell(OPS[op], who, expected))

  it.each(Object.keys(ON_STAGE))('%s × endUser through a live stage session of DEV → allow (HOST-1)', (name) => runCell(ON_STAGE[name], 'endUser', 'allow'))

  it.each(PRINCIPALS.filter((p) => p !== 'signedOut'))('navigation shows %s exactly the sections the matrix lets them open (UI-13)', async (who) => {
    const i = PRINCIPALS.indexOf(who)
    const expected = Object.fromEntries(Object.entries(SECTION).map(([section, op]) => [section, MATRIX[op][i] === 'allow']))
    expect(await getNavigation(w.ctx(who))).toEqual(expected)
  })

  // SPEC Q-2's API client principals. The use cases above are member actions; an API client acts
  // through the REST API, where apiHandler authenticates it and the use case re-checks it (APIC-4).
  // An active client passes both; a suspended one is refused by both as unauthenticated (401,
  // AUTH-40104 over HTTP), at once for a token issued before the suspension, and its refusal
  // changes nothing — not even the rate limit count (refused before counting).
  const API_CLIENT_CASES = [
    { client: 'active', via: 'whoAmI', expected: 'allow' },
    { client: 'suspended', via: 'whoAmI', expected: 'unauth' },
    { client: 'active', via: 'GET /api/gatehouse/v1/whoami', expected: 'allow' },
    { client: 'suspended', via: 'GET /api/gatehouse/v1/whoami', expected: 'unauth' },
  ] as const

  it.each(API_CLIENT_CASES)('$via × $client API client → $expected (Q-2, APIC-4)', async ({ client, via, expected }) => {
    const c = await newApiClient(w)
    const token = await apiClientToken(c)
    if (client === 'suspended') await setApiClientSuspended(c.clientKey, true)
    const before = await fingerprint()
    if (via === 'whoAmI') {
      expect(await outcome(whoAmI(apiClientCtx(c)))).toBe(expected)
      expect(await fingerprint()).toEqual(before)
      return
    }
    const response = await whoAmIRoute(new Request('http://localhost:3000/api/gatehouse/v1/whoami', { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) })
    if (expected === 'allow') {
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ clientId: c.clientId, permissions: [{ slug: 'endusers.view', stageKeys: [w.stage.QA] }] })
    } else {
      expect(response.status).toBe(401)
      expect(await response.json()).toMatchObject({ status: 401, errorCode: 'GH-GH-AUTH-40104' })
      expect(response.headers.get('ratelimit-limit')).toBeNull()
      expect(await fingerprint()).toEqual(before)
    }
  })

  // Not a cell of the table: a refusal must come before any answer that depends on the data, or a
  // caller who may not see users learns which email addresses have accounts (AUTH-1's rule).
  it.each(['signedOut', 'endUser'] as const)('check access tells %s nothing about whether an email has an account', async (who) => {
    await expect(checkAccess(w.ctx(who), { user: 'nobody-at-all@example.test', permission: 'asset.open' })).rejects.toBeInstanceOf(
      who === 'signedOut' ? UnauthenticatedError : ForbiddenError,
    )
  })
})
