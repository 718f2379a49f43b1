import type { UserRole } from '../operators/user.entity.js';

/** Who is acting: the signed-in user, as services see it (no Koa, no token). */
export type Actor = Readonly<{
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
}>;
