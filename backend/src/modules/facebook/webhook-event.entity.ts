import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import { toStorableText } from '../../text/storable-text.js';
import type { Tenant } from '../tenants/tenant.entity.js';

export const WEBHOOK_EVENT_STATUSES = ['pending', 'processed', 'failed', 'ignored'] as const;
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

/**
 * An event kept for diagnosis only (opt-ins, handover, unknown shapes, invalid items): type,
 * page and visitor, and for an invalid item the field that made it so.
 */
export type WebhookDiagnostic = { type: string; pageId: string; psid: string; reason?: string };

/**
 * Bounds on what a row keeps for diagnosis. A signed delivery (any tenant can sign its own)
 * may carry thousands of odd events, a sender id of a megabyte or an error quoting all of it;
 * without bounds one delivery could store far more than its body.
 */
export const DIAGNOSTICS_PER_DELIVERY = 50;
const DIAGNOSTIC_FIELD_CODE_POINTS = 100;
/** `last_error` and `ignored_reason`. */
export const REASON_CODE_POINTS = 1_000;

/** The first DIAGNOSTICS_PER_DELIVERY diagnoses, each field storable and cut to a bound. */
export function boundDiagnostics(diagnostics: WebhookDiagnostic[]): WebhookDiagnostic[] {
  return diagnostics.slice(0, DIAGNOSTICS_PER_DELIVERY).map((diagnostic) => ({
    type: toStorableText(diagnostic.type, DIAGNOSTIC_FIELD_CODE_POINTS),
    pageId: toStorableText(diagnostic.pageId, DIAGNOSTIC_FIELD_CODE_POINTS),
    psid: toStorableText(diagnostic.psid, DIAGNOSTIC_FIELD_CODE_POINTS),
    ...(diagnostic.reason === undefined
      ? {}
      : { reason: toStorableText(diagnostic.reason, DIAGNOSTIC_FIELD_CODE_POINTS) }),
  }));
}

/**
 * A reason (why ignored, why failed), storable and cut to REASON_CODE_POINTS: it may quote
 * what a visitor wrote (a database error names the value it refused).
 */
export function boundReason(reason: string): string {
  return toStorableText(reason, REASON_CODE_POINTS);
}

/**
 * One webhook delivery from Facebook, stored before it is acknowledged: the durable record
 * that workers claim and process in batches (the sweeper wakes them if a wake-up is lost).
 * `rawBody` is the exact signed bytes (`bytea`: whatever they hold, U+0000 escapes or invalid
 * UTF-8, storing them cannot fail; they are parsed apart from storage, by the worker).
 * Deliveries that are acknowledged but not processed (a page this tenant does not have) keep
 * only why, never an unverified body.
 */
export class WebhookEvent extends TenantOwnedEntity {
  status: WebhookEventStatus = 'pending';
  processedAt: Date | null = null;
  attempts = 0;
  lastError: string | null = null;
  /** Not to be processed before this (a failed attempt's backoff, an edit waiting for its message). */
  processAfter: Date | null = null;
  /** At most DIAGNOSTICS_PER_DELIVERY, see boundDiagnostics. */
  diagnostics: WebhookDiagnostic[] = [];
  /**
   * The messages this delivery became, recorded when it is marked processed (the inspector's
   * link from a delivery to its messages; a replay adds to it, and creates nothing twice).
   */
  messageIds: string[] = [];

  constructor(
    tenant: Tenant,
    public rawBody: Buffer | null,
    /** The Facebook page ids of the entries this delivery carries. */
    public pageIds: string[],
    /** Why a delivery was acknowledged without processing, for diagnosis. */
    public ignoredReason: string | null = null,
  ) {
    super(tenant);
    if (ignoredReason) this.status = 'ignored';
  }
}

export const WebhookEventSchema = new EntitySchema<WebhookEvent, TenantOwnedEntity>({
  class: WebhookEvent,
  extends: 'TenantOwnedEntity',
  properties: {
    rawBody: { type: 'blob', nullable: true },
    pageIds: { type: 'text[]' },
    status: { enum: true, items: () => WEBHOOK_EVENT_STATUSES, default: 'pending' },
    ignoredReason: { type: 'text', nullable: true },
    processedAt: { type: 'datetime', nullable: true },
    attempts: { type: 'integer', default: 0 },
    lastError: { type: 'text', nullable: true },
    processAfter: { type: 'datetime', nullable: true },
    diagnostics: { type: 'json', default: '[]' },
    messageIds: { type: 'uuid[]', defaultRaw: "'{}'" },
  },
  indexes: [
    // Workers claim pending deliveries round-robin over (tenant, first page), oldest first
    // within each (InboundStore.claim); processed ones, nearly all, stay out of it.
    {
      name: 'webhook_event_pending_claim_index',
      expression: `create index "webhook_event_pending_claim_index" on "webhook_event" ("tenant_id", (coalesce("page_ids"[1], '')), "created_at", "id") where "status" = 'pending'`,
    },
    // The retention sweep deletes finished deliveries by age (WebhookRetention).
    {
      name: 'webhook_event_finished_index',
      expression: `create index "webhook_event_finished_index" on "webhook_event" ("created_at") where "status" <> 'pending'`,
    },
    // The deliveries inspector reads a tenant's deliveries newest first (DeliveriesService).
    {
      name: 'webhook_event_tenant_received_index',
      expression: `create index "webhook_event_tenant_received_index" on "webhook_event" ("tenant_id", "created_at" desc, "id" desc)`,
    },
  ],
});
