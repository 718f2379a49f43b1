import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Department } from '../departments/department.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

/**
 * A Facebook Page a tenant connected, with Webim's fields. The access token and app secret
 * are stored sealed (crypto/secret-box.ts) and only their last four characters are shown.
 */
export class FacebookPage extends TenantOwnedEntity {
  department: Department | null = null;
  humanAgentEnabled = false;
  /** An inactive page's events are stored but not routed. */
  active = true;
  /** The demo's page: in demo mode its Graph calls go to Omni's own sandbox Graph API. */
  sandbox = false;

  // Setup status, shown as the admin's checklist.
  tokenValid = true;
  webhookVerifiedAt: Date | null = null;
  subscribed = false;
  subscriptionCheckedAt: Date | null = null;
  lastEventAt: Date | null = null;
  lastError: string | null = null;
  lastErrorAt: Date | null = null;

  constructor(
    tenant: Tenant,
    /** The admin's own label. */
    public name: string,
    /** Facebook's id and name of the page, as the Graph API reported them for the token. */
    public pageId: string,
    public pageName: string,
    public accessTokenSealed: string,
    public accessTokenHint: string,
    public appSecretSealed: string,
    public appSecretHint: string,
    /** The confirmation code Facebook sends back in the webhook handshake. */
    public verifyToken: string,
  ) {
    super(tenant);
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
    active: { type: 'boolean', default: true },
    sandbox: { type: 'boolean', default: false },
    tokenValid: { type: 'boolean', default: true },
    webhookVerifiedAt: { type: 'datetime', nullable: true },
    subscribed: { type: 'boolean', default: false },
    subscriptionCheckedAt: { type: 'datetime', nullable: true },
    lastEventAt: { type: 'datetime', nullable: true },
    lastError: { type: 'text', nullable: true },
    lastErrorAt: { type: 'datetime', nullable: true },
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
