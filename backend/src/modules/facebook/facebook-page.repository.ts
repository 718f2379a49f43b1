import type { Sql } from '../../db/sql.js';
import { appendToOutbox } from '../../outbox/outbox.js';
import { deleteFileRecordsOfPage } from '../files/stored-file-records.js';
import { deleteWebhookEventsOfPage } from './webhook-event-records.js';

/**
 * Deletes a page's row, which cascades to its contacts, conversations, their messages and
 * events, and what Omni kept of its webhook deliveries; in the caller's transaction.
 * `pageId` is Facebook's id, `id` Omni's row.
 */
export async function deletePageRows(
  sql: Sql,
  page: { id: string; tenantId: string; pageId: string },
): Promise<void> {
  await sql.forTenant(page.tenantId)(
    'delete from facebook_page where id = ? and tenant_id = :tenant',
    [page.id],
  );
  await deleteWebhookEventsOfPage(sql, page.tenantId, page.pageId);
}

/**
 * Deletes the page as deletePageRows does, with its files' records, and writes the
 * 'page-deleted' entry that drops its chats from the panels (PageFollowUps), in the
 * caller's transaction. Once it commits, the caller dispatches the entries and removes the
 * stored files.
 */
export async function deletePageWithFollowUps(
  sql: Sql,
  page: { id: string; tenantId: string; pageId: string },
): Promise<{ storageKeys: string[]; outboxEntryIds: string[] }> {
  const storageKeys = await deleteFileRecordsOfPage(sql, page.tenantId, page.id);
  await deletePageRows(sql, page);
  const outboxEntryIds = await appendToOutbox(sql, [
    {
      tenantId: page.tenantId,
      kind: 'page-deleted',
      payload: { id: page.id, pageId: page.pageId },
    },
  ]);
  return { storageKeys, outboxEntryIds };
}
