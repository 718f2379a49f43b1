import { Collection, EntitySchema, wrap } from '@mikro-orm/core';
import { AppError } from '../../errors.js';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Department } from '../departments/department.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import type { AlertPreferences } from './alert-preferences.schemas.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import { matchTotpStep, recoveryCodeDigest } from '../auth/totp.js';

/**
 * The sealed columns of `app_user` and what each holds (crypto/secret-box.ts): bound into the
 * ciphertext with the user's id, so a secret copied to another user or column does not open.
 */
export const USER_SECRETS = {
  twoFactorSecretSealed: {
    column: 'two_factor_secret_sealed',
    purpose: 'app_user.two_factor_secret',
  },
  twoFactorPendingSecretSealed: {
    column: 'two_factor_pending_secret_sealed',
    purpose: 'app_user.two_factor_pending_secret',
  },
} as const;

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
  /** The TOTP secret of an enabled second factor (sealed); null: two-factor is off. */
  twoFactorSecretSealed: string | null = null;
  /** A secret set up but not yet confirmed with a code (sealed); replaced by each new setup. */
  twoFactorPendingSecretSealed: string | null = null;
  twoFactorEnabledAt: Date | null = null;
  /** The last TOTP time step accepted: that step and earlier ones are refused (no replay). */
  twoFactorLastStep: number | null = null;
  /** Digests of the recovery codes not used yet (totp.ts recoveryCodeDigest). */
  twoFactorRecoveryCodeDigests: string[] = [];

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

  isTwoFactorEnabled(): boolean {
    return this.twoFactorSecretSealed !== null;
  }

  /**
   * An admin without a second factor while the tenant requires one: until they set it up,
   * their sessions may only do that (TWO_FACTOR_SETUP_REQUIRED). Never the demo's admin,
   * who cannot set one up (its login is public). Needs `tenant` loaded.
   */
  isTwoFactorSetupRequired(): boolean {
    return (
      this.role === 'admin' &&
      !this.isTwoFactorEnabled() &&
      this.tenant.require2faForAdmins &&
      !this.isDemoAccount()
    );
  }

  /** Every path that changes the second factor calls this first (needs `tenant` loaded). */
  assertTwoFactorChangeable(): void {
    if (this.isDemoAccount()) throw new DemoAccountTwoFactorError();
  }

  startTwoFactorSetup(secrets: SecretBox, secretBase32: string): void {
    this.twoFactorPendingSecretSealed = secrets.seal(
      secretBase32,
      this.sealContext('twoFactorPendingSecretSealed'),
    );
  }

  /**
   * Turns the pending secret on when `code` is its current code; false otherwise (nothing
   * changes). The accepted step is remembered, so the same code cannot sign in afterwards.
   */
  enableTwoFactor(
    secrets: SecretBox,
    code: string,
    recoveryCodes: readonly string[],
    now: Date,
  ): boolean {
    if (this.twoFactorPendingSecretSealed === null) return false;
    const secret = secrets.open(
      this.twoFactorPendingSecretSealed,
      this.sealContext('twoFactorPendingSecretSealed'),
    );
    const step = matchTotpStep(secret, code, now);
    if (step === null) return false;
    this.twoFactorSecretSealed = secrets.seal(secret, this.sealContext('twoFactorSecretSealed'));
    this.twoFactorPendingSecretSealed = null;
    this.twoFactorEnabledAt = now;
    this.twoFactorLastStep = step;
    this.twoFactorRecoveryCodeDigests = recoveryCodes.map((recoveryCode) =>
      recoveryCodeDigest(this.id, recoveryCode),
    );
    return true;
  }

  disableTwoFactor(): void {
    this.twoFactorSecretSealed = null;
    this.twoFactorPendingSecretSealed = null;
    this.twoFactorEnabledAt = null;
    this.twoFactorLastStep = null;
    this.twoFactorRecoveryCodeDigests = [];
  }

  /**
   * Spends `code`: a TOTP code of a step later than the last one accepted, or one of the
   * unused recovery codes (which is then gone). False when it is neither: a replayed code is
   * a wrong code. Call with the row locked, so two requests cannot spend the same code.
   */
  spendTwoFactorCode(secrets: SecretBox, code: string, now: Date): boolean {
    if (this.twoFactorSecretSealed === null) return false;
    const typed = code.replace(/\s/g, '');
    const secret = secrets.open(
      this.twoFactorSecretSealed,
      this.sealContext('twoFactorSecretSealed'),
    );
    const step = matchTotpStep(secret, typed, now);
    if (step !== null) {
      if (this.twoFactorLastStep !== null && step <= this.twoFactorLastStep) return false;
      this.twoFactorLastStep = step;
      return true;
    }
    const digest = recoveryCodeDigest(this.id, typed);
    if (!this.twoFactorRecoveryCodeDigests.includes(digest)) return false;
    this.twoFactorRecoveryCodeDigests = this.twoFactorRecoveryCodeDigests.filter(
      (unused) => unused !== digest,
    );
    return true;
  }

  private sealContext(property: keyof typeof USER_SECRETS) {
    return { purpose: USER_SECRETS[property].purpose, rowId: this.id };
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

/** 403 DEMO_ACCOUNT: a second factor on a public demo login would lock everyone else out. */
export class DemoAccountTwoFactorError extends AppError {
  constructor() {
    super(
      'DEMO_ACCOUNT',
      'The demo accounts cannot use two-factor authentication: their logins are shared with everyone.',
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
    twoFactorSecretSealed: { type: 'text', nullable: true, hidden: true },
    twoFactorPendingSecretSealed: { type: 'text', nullable: true, hidden: true },
    twoFactorEnabledAt: { type: 'datetime', nullable: true },
    twoFactorLastStep: { type: 'integer', nullable: true, hidden: true },
    twoFactorRecoveryCodeDigests: { type: 'json', default: '[]', hidden: true },
    departments: {
      kind: 'm:n',
      entity: 'Department',
      pivotTable: 'user_department',
      owner: true,
    },
  },
});
