import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, sqlIn } from '../../db/sql.js';

/**
 * Since when each conversation's visitor has been waiting for an answer: the oldest visitor
 * message after the latest reply (an operator's from Omni or a person's from the page's own
 * inbox, unless it failed); absent when every visitor message was answered. Reactions ask
 * for nothing; notes (direction "internal") and Omni's automatic notices answer nothing.
 * The ids come from tenant-filtered queries, so the statement may look across tenants.
 */
export async function findWaitingSince(
  em: EntityManager,
  conversationIds: string[],
): Promise<Map<string, Date>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await sqlIn(em).acrossTenants<{ id: string; waiting_since: Date | string }>(
    `select c.id, w.waiting_since
     from unnest(?::uuid[]) as c(id)
     cross join lateral (
       select min(m.occurred_at) as waiting_since from message m
       where m.conversation_id = c.id and m.direction = 'in' and m.source = 'visitor'
         and m.kind <> 'reaction'
         and m.occurred_at > coalesce((
           select max(r.occurred_at) from message r
           where r.conversation_id = c.id and r.direction = 'out'
             and r.source in ('operator', 'page_inbox') and r.status is distinct from 'failed'
         ), '-infinity'::timestamptz)
     ) w
     where w.waiting_since is not null`,
    [pgArray(conversationIds)],
  );
  return new Map(rows.map((row) => [row.id, new Date(row.waiting_since)]));
}
