import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { User } from '../operators/user.entity.js';

/** A reset link works once, for this long. */
export const PASSWORD_RESET_LIFETIME_MS = 60 * 60 * 1000;

/**
 * A password-reset link mailed to a user. Like an invitation's, its token is stored only as
 * its SHA-256 and the nonce it is derived from (LinkTokens). Used once; deleting the user
 * deletes it.
 */
export class PasswordReset extends TenantOwnedEntity {
  tokenNonce!: string;
  tokenHash!: string;
  expiresAt = new Date(Date.now() + PASSWORD_RESET_LIFETIME_MS);
  usedAt: Date | null = null;

  constructor(public user: User) {
    super(user.tenant);
  }
}

export const PasswordResetSchema = new EntitySchema<PasswordReset, TenantOwnedEntity>({
  class: PasswordReset,
  extends: 'TenantOwnedEntity',
  properties: {
    user: { kind: 'm:1', entity: 'User', deleteRule: 'cascade', index: true },
    tokenNonce: { type: 'string', length: 64 },
    tokenHash: { type: 'string', length: 64, unique: true },
    expiresAt: { type: 'datetime' },
    usedAt: { type: 'datetime', nullable: true },
  },
});
