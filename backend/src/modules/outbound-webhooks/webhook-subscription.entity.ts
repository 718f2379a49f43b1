import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { User } from '../operators/user.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import type { WebhookEvent } from './webhook-events.js';

/** The sealed column of a subscription and the purpose its value is bound to (SecretBox). */
export const WEBHOOK_SUBSCRIPTION_SECRETS = {
  secretSealed: { column: 'secret_sealed', purpose: 'webhook_subscription.secret' },
} as const;

/**
 * An endpoint of the tenant's that is sent the events it asked for, each POST signed with
 * its secret (HMAC-SHA256). The secret is shown once, at creation, and kept sealed: Omni
 * must sign with it, so it cannot be hashed. An endpoint that has failed for a day is
 * disabled by Omni (`disabledAt`) until an admin enables it again.
 */
export class WebhookSubscription extends TenantOwnedEntity {
  enabled = true;
  /** When Omni disabled it because its endpoint failed for 24 hours; null otherwise. */
  disabledAt: Date | null = null;
  /** Since when every attempt failed (the first failure after the last success); null: healthy. */
  failingSince: Date | null = null;

  constructor(
    tenant: Tenant,
    public url: string,
    public events: WebhookEvent[],
    /** SecretBox value, bound to this row (WEBHOOK_SUBSCRIPTION_SECRETS). */
    public secretSealed: string,
    public createdBy: User | null,
  ) {
    super(tenant);
  }
}

export const WebhookSubscriptionSchema = new EntitySchema<WebhookSubscription, TenantOwnedEntity>({
  class: WebhookSubscription,
  extends: 'TenantOwnedEntity',
  properties: {
    url: { type: 'text' },
    events: { type: 'json' },
    secretSealed: { type: 'text', hidden: true },
    enabled: { type: 'boolean', default: true },
    disabledAt: { type: 'datetime', nullable: true },
    failingSince: { type: 'datetime', nullable: true },
    createdBy: { kind: 'm:1', entity: 'User', nullable: true, deleteRule: 'set null' },
  },
});
