import type { UserRole } from '../operators/user.entity.js';

/** Who is acting: the signed-in user, as services see it (no Koa, no token). */
export type Actor = Readonly<{
  userId: string;
  tenantId: string;
  role: UserRole;
  /** The sign-in the request came with; absent when a job or a test acts for the user. */
  sessionId?: string;
}>;
