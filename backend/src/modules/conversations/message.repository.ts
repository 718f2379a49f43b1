import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../db/sql.js';
import { Message } from './message.entity.js';

/**
 * The newest message of each conversation, in one query. The ids come from tenant-filtered
 * queries (so the first statement may look across tenants), and the second query goes
 * through the filter again.
 */
export async function findLastMessages(
  em: EntityManager,
  conversationIds: string[],
): Promise<Map<string, Message>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await sqlIn(em).acrossTenants<{ id: string }>(
    `select distinct on (conversation_id) id from message
     where conversation_id in (?) order by conversation_id, occurred_at desc, id desc`,
    [conversationIds],
  );
  const messages = await em.find(Message, { id: { $in: rows.map((row) => row.id) } });
  return new Map(messages.map((message) => [message.conversation.id, message]));
}
