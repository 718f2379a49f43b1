import type { Sql } from '../../db/sql.js';
import { appendToOutbox, threadReturned } from '../../outbox/outbox.js';
import { ConversationStore } from '../conversations/conversation-store.js';

/**
 * In a close's transaction: the closed conversations whose thread Omni controlled under the
 * handover protocol go back to the page's primary app after the commit (a 'thread-returned'
 * entry; a rolled-back close passes nothing, a committed one is never forgotten).
 */
export async function appendThreadsReturned(
  sql: Sql,
  tenantId: string,
  conversationIds: string[],
): Promise<string[]> {
  const returned = await new ConversationStore(sql).controlledByOmni(tenantId, conversationIds);
  return returned.length === 0 ? [] : appendToOutbox(sql, [threadReturned(tenantId, returned)]);
}
