import type { Sql } from '../../db/sql.js';
import { pgArray } from '../../db/sql.js';
import type { LabelSummary } from '../labels/labels.schemas.js';

/** What a conversation's record shows beyond its own row, its contact and its page. */
export type ConversationExtras = {
  lastMessageId: string | null;
  labels: LabelSummary[];
  /**
   * Since when the visitor waits for an answer: the oldest visitor message after the latest
   * reply (an operator's from Omni or a person's from the page's own inbox, unless it
   * failed); null when every visitor message was answered. Reactions ask for nothing; notes
   * (direction "internal") and Omni's automatic notices answer nothing.
   */
  waitingSince: Date | null;
};

/**
 * The extras of a set of conversations, in one statement: those named, and those the
 * messages named belong to (a broadcast knows the messages it sends, not always their
 * conversations). The set of a list page, one conversation, or a broadcast is read with one
 * round trip instead of one per part, which is what a busy reply path pays for most.
 */
export class ConversationExtrasRepository {
  constructor(private readonly sql: Sql) {}

  async find(
    tenantId: string,
    { conversationIds, messageIds = [] }: { conversationIds: string[]; messageIds?: string[] },
  ): Promise<Map<string, ConversationExtras>> {
    if (conversationIds.length === 0 && messageIds.length === 0) return new Map();
    const rows = await this.sql.forTenant(tenantId)<{
      id: string;
      last_message_id: string | null;
      labels: LabelSummary[];
      waiting_since: Date | string | null;
    }>(
      `select c.id,
         (select m.id from message m where m.conversation_id = c.id
          order by m.occurred_at desc, m.id desc limit 1) as last_message_id,
         coalesce((
           select json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color)
                           order by lower(l.name), l.id)
           from conversation_label cl join label l on l.id = cl.label_id
           where cl.conversation_id = c.id and l.tenant_id = :tenant
         ), '[]'::json) as labels,
         (select min(m.occurred_at) from message m
          where m.conversation_id = c.id and m.direction = 'in' and m.source = 'visitor'
            and m.kind <> 'reaction'
            and m.occurred_at > coalesce((
              select max(r.occurred_at) from message r
              where r.conversation_id = c.id and r.direction = 'out'
                and r.source in ('operator', 'page_inbox') and r.status is distinct from 'failed'
            ), '-infinity'::timestamptz)) as waiting_since
       from conversation c
       where c.tenant_id = :tenant
         and (c.id = any(?::uuid[]) or c.id in (
           select conversation_id from message where tenant_id = :tenant and id = any(?::uuid[])))`,
      [pgArray(conversationIds), pgArray(messageIds)],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          lastMessageId: row.last_message_id,
          labels: row.labels,
          waitingSince: row.waiting_since === null ? null : new Date(row.waiting_since),
        },
      ]),
    );
  }
}
