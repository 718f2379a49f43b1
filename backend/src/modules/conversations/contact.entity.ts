import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { FacebookPage } from '../facebook/facebook-page.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

export const PROFILE_STATUSES = ['pending', 'fetched', 'unavailable'] as const;
export type ProfileStatus = (typeof PROFILE_STATUSES)[number];

/** How an erased visitor is called (the panel says it in its own language). */
export const ERASED_VISITOR_NAME = 'Erased visitor';

/** A visitor as one page knows them: a page-scoped id (PSID) and what the profile API gave. */
export class Contact extends TenantOwnedEntity {
  firstName: string | null = null;
  lastName: string | null = null;
  avatarUrl: string | null = null;
  profileStatus: ProfileStatus = 'pending';
  profileFetchedAt: Date | null = null;
  /** When a profile fetch was last asked for, so that a visitor's burst of messages asks once. */
  profileRequestedAt: Date | null = null;
  /**
   * The visitor's last action that opens Messenger's reply window, at the platform's time.
   * The window belongs to the thread (page + visitor), so it lives here.
   */
  lastInboundAt: Date | null = null;
  /**
   * Set on the anonymous stand-in an erased visitor's conversations keep (ContactErasure):
   * no name, photo or PSID of theirs, so the statistics still count the conversations.
   */
  erasedAt: Date | null = null;

  constructor(
    tenant: Tenant,
    public page: FacebookPage,
    public psid: string,
  ) {
    super(tenant);
  }

  /** A readable name even when Facebook gives no profile. */
  get displayName(): string {
    if (this.erasedAt) return ERASED_VISITOR_NAME;
    const name = [this.firstName, this.lastName].filter(Boolean).join(' ').trim();
    return name || `Facebook user ${this.psid.slice(-4)}`;
  }
}

export const ContactSchema = new EntitySchema<Contact, TenantOwnedEntity>({
  class: Contact,
  extends: 'TenantOwnedEntity',
  properties: {
    page: { kind: 'm:1', entity: 'FacebookPage', deleteRule: 'cascade' },
    psid: { type: 'string', length: 64 },
    firstName: { type: 'string', length: 200, nullable: true },
    lastName: { type: 'string', length: 200, nullable: true },
    avatarUrl: { type: 'text', nullable: true },
    profileStatus: { enum: true, items: () => PROFILE_STATUSES, default: 'pending' },
    profileFetchedAt: { type: 'datetime', nullable: true },
    profileRequestedAt: { type: 'datetime', nullable: true },
    lastInboundAt: { type: 'datetime', nullable: true },
    erasedAt: { type: 'datetime', nullable: true },
    displayName: { type: 'string', persist: false, getter: true },
  },
  uniques: [{ name: 'contact_page_psid_unique', properties: ['page', 'psid'] }],
  indexes: [
    // Search by the visitor's name (pg_trgm); the expression is the one the search matches.
    {
      name: 'contact_name_trgm_index',
      expression: `create index "contact_name_trgm_index" on "contact" using gin ((coalesce("first_name", '') || ' ' || coalesce("last_name", '')) gin_trgm_ops)`,
    },
  ],
});
