import { v7 as uuidv7 } from 'uuid';
import { pgRecords, type Sql } from '../db/sql.js';
import type { ConversationsChangedPayload, OutboxKind, OutboxPayloads } from './outbox-map.js';

/**
 * Performs the outbox entries a change just committed (the fast path; never throws). What it
 * could not do, or a process that died first left, the worker's outbox sweep performs.
 */
export type DispatchCommitted = (outboxEntryIds: string[]) => Promise<void>;

/** One thing a change must cause once it commits. */
export type OutboxWrite<K extends OutboxKind = OutboxKind> = {
  tenantId: string;
  kind: K;
  payload: OutboxPayloads[K];
};

/**
 * Writes entries through `sql`, the transaction of the change they follow (`sqlIn(em)` for
 * an ORM transaction, `flushWith` for a unit of work): they commit with
 * it or not at all, so nothing is caused by a change that rolled back, and nothing a
 * committed change must cause is lost to a crash before it was performed. Returns their ids
 * (time-ordered), for the caller to dispatch at once after the commit.
 */
export async function appendToOutbox(sql: Sql, entries: OutboxWrite[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const rows = entries.map((entry) => ({ ...entry, id: uuidv7() }));
  // Across tenants: an inbound batch writes an entry per tenant; each row names its own.
  await sql.acrossTenants(
    `insert into outbox_entry (id, tenant_id, kind, payload)
     select r.id, r.tenant_id, r.kind, r.payload
     from jsonb_to_recordset(?::jsonb) as r(id uuid, tenant_id uuid, kind text, payload jsonb)`,
    [
      pgRecords(
        rows.map((row) => ({
          id: row.id,
          tenant_id: row.tenantId,
          kind: row.kind,
          payload: row.payload,
        })),
      ),
    ],
  );
  return rows.map((row) => row.id);
}

/** A 'conversations-changed' entry: the panels are sent these conversations and messages. */
export function conversationsChanged(
  tenantId: string,
  change: Partial<ConversationsChangedPayload>,
): OutboxWrite<'conversations-changed'> {
  return {
    tenantId,
    kind: 'conversations-changed',
    payload: {
      conversationIds: change.conversationIds ?? [],
      createdMessageIds: change.createdMessageIds ?? [],
      updatedMessageIds: change.updatedMessageIds ?? [],
    },
  };
}

/** A 'csat-requested' entry: the closed conversations' satisfaction surveys, when due. */
export function csatRequested(
  tenantId: string,
  conversationIds: string[],
): OutboxWrite<'csat-requested'> {
  return { tenantId, kind: 'csat-requested', payload: { conversationIds } };
}

/** A 'thread-returned' entry: closed conversations whose threads go back to the primary app. */
export function threadReturned(
  tenantId: string,
  conversationIds: string[],
): OutboxWrite<'thread-returned'> {
  return { tenantId, kind: 'thread-returned', payload: { conversationIds } };
}
