import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import type { User } from '../operators/user.entity.js';

/** An invitation link works this long after it was sent (or sent again). */
export const INVITATION_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/**
 * An admin's invitation of someone by e-mail: who they will be (role, departments, capacity)
 * once they accept it by setting a password. The link's token is never stored: only its
 * SHA-256 and the nonce it is derived from (LinkTokens). Accepted or revoked invitations stay
 * as rows (an accepted one names nobody: the user exists then) but no link opens them.
 */
export class Invitation extends TenantOwnedEntity {
  maxChats: number | null = null;
  departmentIds: string[] = [];
  acceptedAt: Date | null = null;
  revokedAt: Date | null = null;
  tokenNonce!: string;
  tokenHash!: string;
  expiresAt = new Date();

  constructor(
    tenant: Tenant,
    public email: string,
    public name: string,
    public role: string,
    public invitedBy: User | null,
  ) {
    super(tenant);
  }

  isPending(): boolean {
    return !this.acceptedAt && !this.revokedAt;
  }
}

export const InvitationSchema = new EntitySchema<Invitation, TenantOwnedEntity>({
  class: Invitation,
  extends: 'TenantOwnedEntity',
  properties: {
    email: { type: 'string', length: 254 },
    name: { type: 'string', length: 120 },
    // Text, not an enum: the roles an admin may give are checked by the API (ASSIGNABLE_ROLES).
    role: { type: 'string', length: 32 },
    invitedBy: { kind: 'm:1', entity: 'User', nullable: true, deleteRule: 'set null' },
    maxChats: { type: 'integer', nullable: true },
    departmentIds: { type: 'json' },
    acceptedAt: { type: 'datetime', nullable: true },
    revokedAt: { type: 'datetime', nullable: true },
    tokenNonce: { type: 'string', length: 64 },
    tokenHash: { type: 'string', length: 64, unique: true },
    expiresAt: { type: 'datetime' },
  },
});
