import { pgArray, type Sql } from '../../db/sql.js';

/*
 * Deleting what holds files deletes the files too: first their records, in the transaction
 * that deletes the holder, then (once it has committed) their bytes with FileStorage.remove.
 */

/**
 * Deletes the records of the files a page's messages hold (visitors' attachments Omni kept,
 * operators' uploads) and returns where their bytes are.
 */
export async function deleteFileRecordsOfPage(
  sql: Sql,
  tenantId: string,
  pageRowId: string,
): Promise<string[]> {
  const rows = await sql.forTenant(tenantId)<{ storage_key: string }>(
    // page_id names every file stored since it exists; the attachments still name older ones.
    `delete from stored_file
     where tenant_id = :tenant and (page_id = ?
        or id in (
          select (attachment->>'storedFileId')::uuid
          from message, jsonb_array_elements(message.attachments) as attachment
          where message.page_id = ? and attachment->>'storedFileId' is not null))
     returning storage_key`,
    [pageRowId, pageRowId],
  );
  return rows.map((row) => row.storage_key);
}

/** Deletes the records of every file of a tenant and returns where their bytes are. */
export async function deleteFileRecordsOfTenant(sql: Sql, tenantId: string): Promise<string[]> {
  const rows = await sql.forTenant(tenantId)<{ storage_key: string }>(
    'delete from stored_file where tenant_id = :tenant returning storage_key',
  );
  return rows.map((row) => row.storage_key);
}

/**
 * Deletes the records of the files these conversations' messages hold (an erased visitor's
 * attachments, the operators' uploads sent to them) and returns where their bytes are.
 */
export async function deleteFileRecordsOfConversations(
  sql: Sql,
  tenantId: string,
  conversationIds: string[],
): Promise<string[]> {
  if (conversationIds.length === 0) return [];
  const rows = await sql.forTenant(tenantId)<{ storage_key: string }>(
    `delete from stored_file
     where tenant_id = :tenant and id in (
       select f.id from stored_file f join message m on m.id = f.message_id
       where m.conversation_id = any(?::uuid[]) and m.tenant_id = :tenant
       union
       select (attachment->>'storedFileId')::uuid
       from message m, jsonb_array_elements(m.attachments) as attachment
       where m.conversation_id = any(?::uuid[]) and m.tenant_id = :tenant
         and attachment->>'storedFileId' is not null)
     returning storage_key`,
    [pgArray(conversationIds), pgArray(conversationIds)],
  );
  return rows.map((row) => row.storage_key);
}
