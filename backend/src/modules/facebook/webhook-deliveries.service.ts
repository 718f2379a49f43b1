import type { EntityManager } from '@mikro-orm/postgresql';
import { findByIdOrFail } from '../../db/find.js';
import { sqlIn, sqlTransaction } from '../../db/sql.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { encodeKeysetCursor, type KeysetCursor } from '../../http/cursor.js';
import type { JobQueues } from '../../jobs/job-queues.js';
import type { DispatchCommitted } from '../../outbox/outbox.js';
import type { Actor } from '../auth/actor.js';
import { FacebookPage } from './facebook-page.entity.js';
import type { InboundService } from './inbound/inbound.service.js';
import { wakeInboundDrainers } from './inbound/inbound.service.js';
import { parseDelivery } from './inbound/messenger-parser.js';
import {
  DELIVERIES_PAGE_SIZE,
  type ReplayResult,
  type WebhookDeliveriesPage,
  type WebhookDeliveryDto,
} from './webhook-deliveries.schemas.js';
import { WebhookDeliveryStore, type DeliveryRow } from './webhook-delivery-store.js';

/**
 * The deliveries inspector: a page's recent webhook deliveries with their verdict, the
 * messages they became and Replay — "why did this message not arrive?" without a log.
 * Deliveries are shown while the retention keeps them (WebhookRetention). Replay processes a
 * stored delivery again through the inbound path; messages are unique per (page, dedup key),
 * so a delivery already processed creates nothing the second time.
 */
export class WebhookDeliveriesService {
  constructor(
    private readonly em: EntityManager,
    private readonly inbound: Pick<InboundService, 'processNow'>,
    private readonly queues: Pick<JobQueues, 'wake'>,
    private readonly dispatchCommitted: DispatchCommitted,
  ) {}

  async list(
    actor: Actor,
    pageRowId: string,
    cursor: KeysetCursor | undefined,
  ): Promise<WebhookDeliveriesPage> {
    const page = await findByIdOrFail(this.em, FacebookPage, pageRowId, 'Facebook page');
    const store = this.storeOf(actor);
    const rows = await store.listOfPage(page.pageId, cursor, DELIVERIES_PAGE_SIZE + 1);
    const shown = rows.slice(0, DELIVERIES_PAGE_SIZE);
    const items = await this.toDtos(store, page.pageId, shown);
    const last = shown.at(-1);
    return {
      items,
      nextCursor:
        rows.length > DELIVERIES_PAGE_SIZE && last
          ? encodeKeysetCursor({ at: new Date(last.created_at), id: last.id })
          : null,
    };
  }

  /**
   * Sets the delivery back to pending (a fresh count of attempts, its diagnoses to be found
   * again) and processes it at once; if a worker holds it meanwhile, that worker does. Only a
   * delivery whose body is kept can be replayed.
   */
  async replay(actor: Actor, pageRowId: string, deliveryId: string): Promise<ReplayResult> {
    const page = await findByIdOrFail(this.em, FacebookPage, pageRowId, 'Facebook page');
    await sqlTransaction(this.em, async (sql) => {
      const store = new WebhookDeliveryStore(sql.forTenant(actor.tenantId));
      const locked = await store.lockForReplay(deliveryId, page.pageId);
      if (!locked) throw new NotFoundError('Delivery');
      if (!locked.hasBody) {
        throw new ConflictError(
          'RAW_BODY_NOT_KEPT',
          'This delivery cannot be replayed: its content is not kept (an ignored delivery never keeps it, and deliveries of a deleted page lose it).',
        );
      }
      await store.resetForReplay(deliveryId);
    });
    const outcomes = await this.inbound.processNow([deliveryId], (_outcomes, outboxEntryIds) =>
      this.dispatchCommitted(outboxEntryIds),
    );
    const newMessages = outcomes.reduce((sum, outcome) => sum + outcome.newMessageIds.length, 0);
    const store = this.storeOf(actor);
    const row = await store.find(deliveryId);
    // Still pending: a worker held it, or an edit in it waits for its message.
    if (row?.status === 'pending') await wakeInboundDrainers(this.queues);
    if (!row) throw new NotFoundError('Delivery'); // its page deleted meanwhile
    const [delivery] = await this.toDtos(store, page.pageId, [row]);
    return { replayed: true, newMessages, delivery: delivery! };
  }

  private storeOf(actor: Actor): WebhookDeliveryStore {
    return new WebhookDeliveryStore(sqlIn(this.em).forTenant(actor.tenantId));
  }

  private async toDtos(
    store: WebhookDeliveryStore,
    pageId: string,
    rows: DeliveryRow[],
  ): Promise<WebhookDeliveryDto[]> {
    // Messages erased since (a visitor's data deleted) are not linked any more.
    const conversationOf = await store.conversationsOfMessages(
      rows.flatMap((row) => row.message_ids),
    );
    return rows.map((row) => {
      const linked = row.message_ids.filter((id) => conversationOf.has(id));
      return {
        id: row.id,
        receivedAt: new Date(row.created_at).toISOString(),
        status: row.status,
        events: row.raw_body ? countEvents(row.raw_body, pageId) : null,
        error: errorOf(row),
        messageIds: linked,
        messages: linked.map((id) => ({ id, conversationId: conversationOf.get(id)! })),
        diagnostics: row.diagnostics
          .filter((diagnostic) => diagnostic.pageId === pageId)
          .map((diagnostic) => ({
            type: diagnostic.type,
            psid: diagnostic.psid,
            reason: diagnostic.reason ?? null,
          })),
        attempts: row.attempts,
        processedAt: row.processed_at ? new Date(row.processed_at).toISOString() : null,
        canReplay: row.raw_body !== null,
      };
    });
  }
}

/** The events of this page that the delivery carries (Facebook batches several pages). */
function countEvents(rawBody: Buffer, pageId: string): number {
  return parseDelivery(rawBody.toString('utf8'), { pageIds: new Set([pageId]) }).length;
}

/**
 * Why a failed attempt failed, as a tenant may read it. The stored error is the worker's own
 * (a database error quotes its statement, and a batch's statement holds other tenants'
 * rows), so it stays in PostgreSQL and the worker log, found by the delivery's id.
 */
export const FAILED_DELIVERY_REASON =
  'Omni could not store this delivery. The details are in the worker log under its id; Replay tries again.';

function errorOf(row: DeliveryRow): string | null {
  if (row.status === 'ignored') return row.ignored_reason;
  if (row.status === 'processed') return null;
  // failed, or pending after a failed attempt
  return row.last_error === null ? null : FAILED_DELIVERY_REASON;
}
