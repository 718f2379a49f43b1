import { Collection, EntitySchema } from '@mikro-orm/core';
import { secretHint, type SecretBox } from '../../crypto/secret-box.js';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Department } from '../departments/department.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import type { PageCredentials } from './graph/graph-client.js';

/**
 * The sealed columns of `facebook_page` and what each holds: bound into the ciphertext with
 * the row's id, so a value copied to another page or column does not open.
 */
export const FACEBOOK_PAGE_SECRETS = {
  accessTokenSealed: { column: 'access_token_sealed', purpose: 'facebook_page.access_token' },
  appSecretSealed: { column: 'app_secret_sealed', purpose: 'facebook_page.app_secret' },
} as const;

/**
 * A Facebook Page a tenant connected, with Webim's fields. The access token and app secret
 * are stored sealed (crypto/secret-box.ts) and only their last four characters are shown.
 */
export class FacebookPage extends TenantOwnedEntity {
  department: Department | null = null;
  humanAgentEnabled = false;
  /**
   * Omni runs as secondary receiver beside a primary app (a bot): threads the bot controls
   * come as standby events and wait for the bot to pass them (handover/thread-control.ts).
   */
  handoverEnabled = false;
  /** An inactive page's events are stored but not routed. */
  active = true;
  /** The demo's page: in demo mode its Graph calls go to Omni's own sandbox Graph API. */
  sandbox = false;
  /**
   * A new conversation is greeted with the prompt and one quick reply per option, and waits
   * for the visitor's choice before it is queued (modules/department-menu).
   */
  departmentMenuEnabled = false;
  departmentMenuPrompt: string | null = null;
  readonly departmentMenuOptions = new Collection<DepartmentMenuOption>(this);

  // Setup status, shown as the admin's checklist.
  tokenValid = true;
  webhookVerifiedAt: Date | null = null;
  subscribed = false;
  subscriptionCheckedAt: Date | null = null;
  lastEventAt: Date | null = null;
  lastError: string | null = null;
  lastErrorAt: Date | null = null;
  /** The app the token belongs to (`GET /app`): with its secret, the app token of `debug_token`. */
  appId: string | null = null;
  /** Permissions the page needs that its token lacks, as the last probe found (page-health). */
  missingPermissions: string[] = [];
  healthCheckedAt: Date | null = null;

  accessTokenSealed!: string;
  accessTokenHint!: string;
  appSecretSealed!: string;
  appSecretHint!: string;

  constructor(
    tenant: Tenant,
    /** The admin's own label. */
    public name: string,
    /** Facebook's id and name of the page, as the Graph API reported them for the token. */
    public pageId: string,
    public pageName: string,
    credentials: PageCredentials,
    secrets: SecretBox,
    /** The confirmation code Facebook sends back in the webhook handshake. */
    public verifyToken: string,
  ) {
    super(tenant);
    this.sealCredentials(secrets, credentials);
  }

  /** Stores the token and app secret sealed to this page, with their hints. */
  sealCredentials(secrets: SecretBox, credentials: PageCredentials): void {
    this.accessTokenSealed = secrets.seal(
      credentials.accessToken,
      this.sealContext('accessTokenSealed'),
    );
    this.accessTokenHint = secretHint(credentials.accessToken);
    this.appSecretSealed = secrets.seal(credentials.appSecret, this.sealContext('appSecretSealed'));
    this.appSecretHint = secretHint(credentials.appSecret);
  }

  /** The token and app secret, for a Graph API call on this page's behalf. */
  openCredentials(secrets: SecretBox): PageCredentials {
    return { accessToken: this.openAccessToken(secrets), appSecret: this.openAppSecret(secrets) };
  }

  openAccessToken(secrets: SecretBox): string {
    return secrets.open(this.accessTokenSealed, this.sealContext('accessTokenSealed'));
  }

  /** The app secret alone: it signs (and so checks) the app's webhook deliveries. */
  openAppSecret(secrets: SecretBox): string {
    return secrets.open(this.appSecretSealed, this.sealContext('appSecretSealed'));
  }

  private sealContext(property: keyof typeof FACEBOOK_PAGE_SECRETS) {
    return { purpose: FACEBOOK_PAGE_SECRETS[property].purpose, rowId: this.id };
  }

  recordError(message: string, now = new Date()): void {
    this.lastError = message;
    this.lastErrorAt = now;
  }
}

export const FacebookPageSchema = new EntitySchema<FacebookPage, TenantOwnedEntity>({
  class: FacebookPage,
  extends: 'TenantOwnedEntity',
  properties: {
    name: { type: 'string', length: 200 },
    pageId: { type: 'string', length: 64 },
    pageName: { type: 'string', length: 200 },
    accessTokenSealed: { type: 'text', hidden: true },
    accessTokenHint: { type: 'string', length: 8 },
    appSecretSealed: { type: 'text', hidden: true },
    appSecretHint: { type: 'string', length: 8 },
    verifyToken: { type: 'string', length: 200 },
    department: { kind: 'm:1', entity: 'Department', nullable: true, deleteRule: 'set null' },
    humanAgentEnabled: { type: 'boolean', default: false },
    handoverEnabled: { type: 'boolean', default: false },
    active: { type: 'boolean', default: true },
    sandbox: { type: 'boolean', default: false },
    departmentMenuEnabled: { type: 'boolean', default: false },
    departmentMenuPrompt: { type: 'string', length: 640, nullable: true },
    departmentMenuOptions: {
      kind: '1:m',
      entity: 'DepartmentMenuOption',
      mappedBy: 'page',
      orderBy: { position: 'asc' },
      orphanRemoval: true,
    },
    tokenValid: { type: 'boolean', default: true },
    webhookVerifiedAt: { type: 'datetime', nullable: true },
    subscribed: { type: 'boolean', default: false },
    subscriptionCheckedAt: { type: 'datetime', nullable: true },
    lastEventAt: { type: 'datetime', nullable: true },
    lastError: { type: 'text', nullable: true },
    lastErrorAt: { type: 'datetime', nullable: true },
    appId: { type: 'string', length: 64, nullable: true },
    missingPermissions: { type: 'text[]', defaultRaw: "'{}'" },
    healthCheckedAt: { type: 'datetime', nullable: true },
  },
  indexes: [
    // One Facebook page belongs to one tenant at a time: events are never fanned out.
    {
      name: 'facebook_page_active_page_id_unique',
      expression:
        'create unique index "facebook_page_active_page_id_unique" on "facebook_page" ("page_id") where "active"',
    },
  ],
  uniques: [{ name: 'facebook_page_tenant_page_id_unique', properties: ['tenant', 'pageId'] }],
});

/**
 * One quick reply of a page's department menu: the title the visitor taps and the
 * department it routes the new conversation to. A row of its own (not JSON on the page) so
 * that deleting a department deletes the options pointing to it, by foreign key. Part of the
 * page (saved and read with it), so it lives in the page's file; its rules are in
 * modules/department-menu.
 */
export class DepartmentMenuOption extends TenantOwnedEntity {
  constructor(
    tenant: Tenant,
    public page: FacebookPage,
    public department: Department,
    /** 1–20 characters: Messenger's limit for a quick reply's title. */
    public title: string,
    /** The option's place in the menu, from 0. */
    public position: number,
  ) {
    super(tenant);
  }
}

export const DepartmentMenuOptionSchema = new EntitySchema<DepartmentMenuOption, TenantOwnedEntity>(
  {
    class: DepartmentMenuOption,
    extends: 'TenantOwnedEntity',
    properties: {
      page: { kind: 'm:1', entity: 'FacebookPage', deleteRule: 'cascade', index: true },
      department: { kind: 'm:1', entity: 'Department', deleteRule: 'cascade', index: true },
      title: { type: 'string', length: 20 },
      position: { type: 'smallint' },
    },
  },
);
