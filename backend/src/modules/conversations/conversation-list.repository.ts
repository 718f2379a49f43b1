import { pgArray, type Sql } from '../../db/sql.js';
import type { KeysetCursor } from '../../http/cursor.js';
import type { ConversationStatus } from './conversation.entity.js';
import type { Viewer } from './conversation-visibility.js';

/** What the lists of conversations may be narrowed by (GET /api/conversations). */
export type ConversationListFilter = {
  status?: ConversationStatus;
  /** Only those this user holds (`mine`). */
  heldBy?: string;
  departmentId?: string;
  operatorId?: string;
  /** Omni's record id of the page. */
  pageId?: string;
  labelId?: string;
  /** Last activity at or after `from` and before `to`. */
  from?: Date;
  to?: Date;
  /** A piece of the visitor's name or of a message's text (any case). */
  text?: string;
};

/** queue: oldest waiting first; recent: most recently active first. */
export type ConversationListOrder = 'queue' | 'recent';

/** A conversation of a page of the list, and the message the search found in it. */
export type ListedConversation = {
  id: string;
  /** Its position in the order (queued or last activity), for the next page's cursor. */
  at: Date | null;
  /** The newest message whose text matched, when the search matched a message. */
  match: { messageId: string; text: string } | null;
};

/** A piece of a where clause and its `?` parameters, in order. */
type Condition = { where: string; params: unknown[] };

/**
 * The lists of conversations as set-based reads: one statement per page, whatever is
 * filtered. A filter is one more entry of `filterConditions`. The visibility rule is
 * `isVisibleTo` of conversation-visibility.ts, written here in SQL.
 */
export class ConversationListRepository {
  constructor(private readonly sql: Sql) {}

  async findPage(
    tenantId: string,
    viewer: Viewer,
    filter: ConversationListFilter,
    order: ConversationListOrder,
    cursor: KeysetCursor | undefined,
    limit: number,
  ): Promise<ListedConversation[]> {
    const column = order === 'queue' ? 'c.queued_at' : 'c.last_message_at';
    const direction = order === 'queue' ? 'asc' : 'desc';
    const conditions = [visibleTo(viewer), ...filterConditions(filter)];
    if (cursor) {
      const comparison = order === 'queue' ? '>' : '<';
      conditions.push({
        where: `(${column} ${comparison} ? or (${column} = ? and c.id ${comparison} ?))`,
        params: [cursor.at, cursor.at, cursor.id],
      });
    }
    const search = filter.text ? textSearch(filter.text) : null;
    const where = conditions.map((condition) => `and ${condition.where}`).join('\n');
    const rows = await this.sql.forTenant(tenantId)<{
      id: string;
      at: string | null;
      message_id: string | null;
      message_text: string | null;
    }>(
      `${search?.with ?? ''}
       select c.id, ${column} as at, ${search ? 'h.id as message_id, h.text as message_text' : 'null as message_id, null as message_text'}
       from conversation c
       ${search?.join ?? ''}
       where c.tenant_id = :tenant
       ${where}
       order by ${column} ${direction} nulls last, c.id ${direction}
       limit ?`,
      [...(search?.params ?? []), ...conditions.flatMap((condition) => condition.params), limit],
    );
    return rows.map((row) => ({
      id: row.id,
      at: row.at === null ? null : new Date(row.at),
      match:
        row.message_id !== null
          ? { messageId: row.message_id, text: row.message_text ?? '' }
          : null,
    }));
  }
}

/** `isVisibleTo` (conversation-visibility.ts) as a condition on `c`. */
function visibleTo(viewer: Viewer): Condition {
  if (viewer.role === 'admin') return { where: 'true', params: [] };
  return {
    where: `(c.department_id is null or c.operator_id = ?
             or c.department_id = any(?::uuid[]))`,
    params: [viewer.userId, pgArray([...viewer.departmentIds])],
  };
}

function filterConditions(filter: ConversationListFilter): Condition[] {
  const conditions: Condition[] = [];
  const add = (where: string, ...params: unknown[]) => conditions.push({ where, params });
  if (filter.status) add('c.status = ?', filter.status);
  if (filter.heldBy) add('c.operator_id = ?', filter.heldBy);
  if (filter.departmentId) add('c.department_id = ?', filter.departmentId);
  if (filter.operatorId) add('c.operator_id = ?', filter.operatorId);
  if (filter.pageId) add('c.page_id = ?', filter.pageId);
  if (filter.labelId) {
    add(
      'exists (select 1 from conversation_label cl where cl.conversation_id = c.id and cl.label_id = ?)',
      filter.labelId,
    );
  }
  if (filter.from) add('c.last_message_at >= ?', filter.from);
  if (filter.to) add('c.last_message_at < ?', filter.to);
  return conditions;
}

/**
 * The conversations whose visitor's name or one of whose messages contains `text`, and each
 * one's newest matching message. Both sides read a trigram index (Migration…_search): the
 * tenant's matches are found first, and only their conversations are read.
 */
function textSearch(text: string): { with: string; join: string; params: unknown[] } {
  const pattern = `%${escapeLike(text)}%`;
  return {
    with: `with text_hits as (
             select distinct on (m.conversation_id) m.conversation_id, m.id, m.text
             from message m
             where m.tenant_id = :tenant and m.text ilike ?
             order by m.conversation_id, m.occurred_at desc, m.id desc
           ),
           hits as (
             select conversation_id as id from text_hits
             union
             select x.id from contact ct
             join conversation x on x.contact_id = ct.id and x.tenant_id = :tenant
             where ct.tenant_id = :tenant
               and (coalesce(ct.first_name, '') || ' ' || coalesce(ct.last_name, '')) ilike ?
           )`,
    join: `join hits on hits.id = c.id
           left join text_hits h on h.conversation_id = c.id`,
    params: [pattern, pattern],
  };
}

/** `%`, `_` and the escape character itself match only themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
