import type { Sql } from '../../db/sql.js';
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
