import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../db/tenant-owned.entity.js';
import type { Tenant } from '../modules/tenants/tenant.entity.js';
import type { OutboxKind } from './outbox-map.js';

/**
 * Something a committed change must still cause, written in that change's transaction and
 * deleted once OutboxDispatcher has performed it. Rows are written and claimed with plain
 * SQL (outbox.ts, outbox-dispatcher.ts); the entity describes the table for migrations.
 */
export class OutboxEntry extends TenantOwnedEntity {
  /** Attempts started (a claim counts one, so a process dying mid-way counts too). */
  attempts = 0;
  /** Not to be claimed before this: a failed attempt's backoff, or a running attempt's lease. */
  availableAt: Date = new Date();
  lastError: string | null = null;
  /** Set when the attempts ran out: the entry is kept for diagnosis and never claimed again. */
  failedAt: Date | null = null;

  constructor(
    tenant: Tenant,
    public kind: OutboxKind,
    public payload: unknown,
  ) {
    super(tenant);
  }
}

export const OutboxEntrySchema = new EntitySchema<OutboxEntry, TenantOwnedEntity>({
  class: OutboxEntry,
  extends: 'TenantOwnedEntity',
  properties: {
    // Text rather than an enum: a new kind needs no migration.
    kind: { type: 'text' },
    payload: { type: 'json' },
    attempts: { type: 'integer', default: 0 },
    availableAt: { type: 'datetime', defaultRaw: 'now()' },
    lastError: { type: 'text', nullable: true },
    failedAt: { type: 'datetime', nullable: true },
  },
  indexes: [
    // The dispatcher claims due entries oldest first (ids are time-ordered); failed ones stay out.
    {
      name: 'outbox_entry_due_index',
      expression: `create index "outbox_entry_due_index" on "outbox_entry" ("available_at", "id") where "failed_at" is null`,
    },
  ],
});
