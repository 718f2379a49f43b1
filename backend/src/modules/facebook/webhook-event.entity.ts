import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import { truncateCodePoints } from '../../text/truncate.js';
import type { Tenant } from '../tenants/tenant.entity.js';

export const WEBHOOK_EVENT_STATUSES = ['pending', 'processed', 'failed', 'ignored'] as const;
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

/** An event kept for diagnosis only (opt-ins, handover, unknown shapes): type, page and visitor. */
export type WebhookDiagnostic = { type: string; pageId: string; psid: string };

/**
 * Bounds on what a row keeps for diagnosis. A signed delivery (any tenant can sign its own)
 * may carry thousands of odd events, a sender id of a megabyte or an error quoting all of it;
 * without bounds one delivery could store far more than its body.
 */
export const DIAGNOSTICS_PER_DELIVERY = 50;
const DIAGNOSTIC_FIELD_CODE_POINTS = 100;
/** `last_error` and `ignored_reason`. */
export const REASON_CODE_POINTS = 1_000;

/** The first DIAGNOSTICS_PER_DELIVERY diagnoses, each field cut to a bound. */
export function boundDiagnostics(diagnostics: WebhookDiagnostic[]): WebhookDiagnostic[] {
  return diagnostics.slice(0, DIAGNOSTICS_PER_DELIVERY).map((diagnostic) => ({
    type: truncateCodePoints(diagnostic.type, DIAGNOSTIC_FIELD_CODE_POINTS),
    pageId: truncateCodePoints(diagnostic.pageId, DIAGNOSTIC_FIELD_CODE_POINTS),
    psid: truncateCodePoints(diagnostic.psid, DIAGNOSTIC_FIELD_CODE_POINTS),
  }));
}

/** A reason (why ignored, why failed) cut to REASON_CODE_POINTS. */
export function boundReason(reason: string): string {
  return truncateCodePoints(reason, REASON_CODE_POINTS);
}

/**
 * One webhook delivery from Facebook, stored before it is acknowledged: the durable record
 * that workers claim and process in batches (the sweeper wakes them if a wake-up is lost). `rawBody` is the
 * exact signed text; deliveries that are acknowledged but not processed (a page this tenant
 * does not have) keep only why, never an unverified body.
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

  constructor(
    tenant: Tenant,
    public rawBody: string | null,
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
    rawBody: { type: 'text', nullable: true },
    pageIds: { type: 'text[]' },
    status: { enum: true, items: () => WEBHOOK_EVENT_STATUSES, default: 'pending' },
    ignoredReason: { type: 'text', nullable: true },
    processedAt: { type: 'datetime', nullable: true },
    attempts: { type: 'integer', default: 0 },
    lastError: { type: 'text', nullable: true },
    processAfter: { type: 'datetime', nullable: true },
    diagnostics: { type: 'json', default: '[]' },
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
  ],
});
