import { UserSessionRequiredError } from '../../errors.js';
import type { UserRole } from '../operators/user.entity.js';

/** A signed-in person (or a job or a test acting for one). */
export type UserActor = Readonly<{
  userId: string;
  tenantId: string;
  role: UserRole;
  /** The sign-in the request came with; absent when a job or a test acts for the user. */
  sessionId?: string;
  /**
   * An admin who must set up two-factor sign-in first (settings.require2faForAdmins): the
   * API answers their every other request 403 TWO_FACTOR_SETUP_REQUIRED.
   */
  twoFactorSetupRequired?: boolean;
  apiToken?: undefined;
}>;

/**
 * A request with an API token (`Authorization: Bearer omni_…`): the tenant's admin, but no
 * person. Whatever needs a person (replying, presence, `/api/me`) asks `requireUser` and
 * answers 403 USER_SESSION_REQUIRED.
 */
export type ApiTokenActor = Readonly<{
  userId?: undefined;
  tenantId: string;
  role: 'admin';
  sessionId?: undefined;
  twoFactorSetupRequired?: undefined;
  apiToken: Readonly<{ id: string; name: string }>;
}>;

/** Who is acting, as services see it (no Koa, no token). */
export type Actor = UserActor | ApiTokenActor;

/** The acting person, or 403 USER_SESSION_REQUIRED for an API token. */
export function requireUser(actor: Actor): UserActor {
  if (actor.apiToken) throw new UserSessionRequiredError();
  return actor;
}

/** The same check as a statement: after it, `actor.userId` is a person's id. */
export function assertUser(actor: Actor): asserts actor is UserActor {
  requireUser(actor);
}
