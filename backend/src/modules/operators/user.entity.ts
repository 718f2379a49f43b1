import { Collection, EntitySchema, wrap } from '@mikro-orm/core';
import { AppError } from '../../errors.js';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Department } from '../departments/department.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import type { AlertPreferences } from './alert-preferences.schemas.js';

/**
 * A supervisor works like an operator, and also sees the tenant's figures and steers (assigns,
 * transfers, closes) every conversation of their departments (conversation-visibility.ts
 * `maySteer`). A reviewer works like an operator and may also open the demo's App Review kit
 * and simulator; only the demo seeder creates one (the API assigns admin, supervisor or operator).
 */
export const USER_ROLES = ['admin', 'supervisor', 'operator', 'reviewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export const ASSIGNABLE_ROLES = ['admin', 'supervisor', 'operator'] as const;

/** online: receives chats; away: keeps current chats, gets no new ones; offline: neither. */
export const OPERATOR_STATUSES = ['online', 'away', 'offline'] as const;
export type OperatorStatus = (typeof OPERATOR_STATUSES)[number];

/** A person who signs in: a tenant admin or an operator. Admins can work chats too. */
export class User extends TenantOwnedEntity {
  status: OperatorStatus = 'offline';
  statusChangedAt: Date = new Date();
  /** Per-operator override of the tenant's default; null means "use the tenant default". */
  maxChats: number | null = null;
  /** When the dispatcher last gave them a chat: among equally loaded, the longest idle is next. */
  lastAssignedAt: Date | null = null;
  /** What the user changed of their alert settings; null: the defaults. */
  alertPreferences: Partial<AlertPreferences> | null = null;
  departments = new Collection<Department>(this);

  constructor(
    tenant: Tenant,
    public email: string,
    public name: string,
    public passwordHash: string,
    public role: UserRole,
  ) {
    super(tenant);
  }

  /**
   * A login of the seeded demo business: its password is derived (demo-identity.ts) and
   * shown on the login page, so it never changes and it is never locked by strangers.
   * Needs `tenant` loaded.
   */
  isDemoAccount(): boolean {
    if (!wrap(this.tenant).isInitialized()) {
      throw new Error('Load the user with its tenant before asking whether it is a demo account.');
    }
    return this.tenant.isDemo;
  }

  /** Every path that sets a password calls this first (needs `tenant` loaded). */
  assertPasswordChangeable(): void {
    if (this.isDemoAccount()) throw new DemoAccountPasswordError();
  }

  changeStatus(status: OperatorStatus, now = new Date()): void {
    if (this.status === status) return;
    this.status = status;
    this.statusChangedAt = now;
  }
}

/** 403 DEMO_ACCOUNT: the demo's logins keep their passwords so the public demo keeps working. */
export class DemoAccountPasswordError extends AppError {
  constructor() {
    super(
      'DEMO_ACCOUNT',
      'The demo accounts keep their passwords so that the demo keeps working for everyone (npm run demo:reset makes new ones).',
      403,
    );
  }
}

export const UserSchema = new EntitySchema<User, TenantOwnedEntity>({
  class: User,
  tableName: 'app_user', // "user" is reserved in PostgreSQL
  extends: 'TenantOwnedEntity',
  properties: {
    email: { type: 'string', length: 254, unique: true },
    name: { type: 'string', length: 120 },
    passwordHash: { type: 'string', length: 255, hidden: true },
    role: { enum: true, items: () => USER_ROLES, default: 'operator' },
    status: { enum: true, items: () => OPERATOR_STATUSES, default: 'offline' },
    statusChangedAt: { type: 'datetime', defaultRaw: 'now()' },
    maxChats: { type: 'integer', nullable: true },
    lastAssignedAt: { type: 'datetime', nullable: true },
    alertPreferences: { type: 'json', nullable: true },
    departments: {
      kind: 'm:n',
      entity: 'Department',
      pivotTable: 'user_department',
      owner: true,
    },
  },
});
