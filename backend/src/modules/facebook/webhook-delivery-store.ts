import { pgArray, type Statement } from '../../db/sql.js';
import type { KeysetCursor } from '../../http/cursor.js';
import type { WebhookDiagnostic, WebhookEventStatus } from './webhook-event.entity.js';

/** A stored delivery as the inspector reads it. */
export type DeliveryRow = {
  id: string;
  created_at: string;
  status: WebhookEventStatus;
  raw_body: Buffer | null;
  page_ids: string[];
  ignored_reason: string | null;
  last_error: string | null;
  diagnostics: WebhookDiagnostic[];
  message_ids: string[];
  attempts: number;
  processed_at: string | null;
};

const DELIVERY_COLUMNS = `id, created_at, status, raw_body, page_ids, ignored_reason, last_error,
  diagnostics, message_ids, attempts, processed_at`;

/** The inspector's statements on one tenant's deliveries (`pageId` is Facebook's id). */
export class WebhookDeliveryStore {
  constructor(private readonly sql: Statement) {}

  /** The page's deliveries newest first, after `cursor`, at most `limit`. */
  async listOfPage(
    pageId: string,
    cursor: KeysetCursor | undefined,
    limit: number,
  ): Promise<DeliveryRow[]> {
    // The cursor's time has milliseconds, the column microseconds: the row it names (while
    // it exists) gives the exact position.
    const after = cursor
      ? `and (created_at, id) < (coalesce((select created_at from webhook_event
           where id = ? and tenant_id = :tenant), ?::timestamptz), ?::uuid)`
      : '';
    return this.sql<DeliveryRow>(
      `select ${DELIVERY_COLUMNS} from webhook_event
       where tenant_id = :tenant and ? = any(page_ids) ${after}
       order by created_at desc, id desc limit ?`,
      [pageId, ...(cursor ? [cursor.id, cursor.at, cursor.id] : []), limit],
    );
  }

  async find(deliveryId: string): Promise<DeliveryRow | undefined> {
    const [row] = await this.sql<DeliveryRow>(
      `select ${DELIVERY_COLUMNS} from webhook_event where id = ? and tenant_id = :tenant`,
      [deliveryId],
    );
    return row;
  }

  /** Locks the page's delivery for a replay: null when there is none, else whether its body is kept. */
  async lockForReplay(deliveryId: string, pageId: string): Promise<{ hasBody: boolean } | null> {
    const [row] = await this.sql<{ has_body: boolean }>(
      `select raw_body is not null as has_body from webhook_event
       where id = ? and tenant_id = :tenant and ? = any(page_ids) for update`,
      [deliveryId, pageId],
    );
    return row ? { hasBody: row.has_body } : null;
  }

  /**
   * Pending again, due now, with a fresh count of attempts and its diagnoses to be found
   * again; the messages it became stay (a replay adds to them).
   */
  async resetForReplay(deliveryId: string): Promise<void> {
    await this.sql(
      `update webhook_event set status = 'pending', attempts = 0, process_after = null,
         last_error = null, processed_at = null, diagnostics = '[]', updated_at = now()
       where id = ? and tenant_id = :tenant`,
      [deliveryId],
    );
  }

  /** The conversation of each of these messages that still exists (erased ones are gone). */
  async conversationsOfMessages(messageIds: string[]): Promise<Map<string, string>> {
    if (messageIds.length === 0) return new Map();
    const rows = await this.sql<{ id: string; conversation_id: string }>(
      `select id, conversation_id from message where tenant_id = :tenant and id = any(?::uuid[])`,
      [pgArray(messageIds)],
    );
    return new Map(rows.map((row) => [row.id, row.conversation_id]));
  }
}
