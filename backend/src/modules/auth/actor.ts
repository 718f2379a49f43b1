import type { UserRole } from '../operators/user.entity.js';

/** Who is acting: the signed-in user, as services see it (no Koa, no token). */
export type Actor = Readonly<{
  userId: string;
  tenantId: string;
  role: UserRole;
}>;
