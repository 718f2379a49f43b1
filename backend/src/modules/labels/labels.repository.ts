import { pgArray, type Sql } from '../../db/sql.js';

/**
 * How many of a changed or deleted label's conversations are pushed to the panels at once
 * (the most recently active): the rest show the change when they are loaded again.
 */
export const MAX_CONVERSATIONS_PUSHED_PER_LABEL_CHANGE = 500;

/** The labels' statements: which conversation carries which label is a question about sets. */
export class LabelsRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Those of `labelIds` that are the tenant's labels, each held (FOR KEY SHARE) until the
   * transaction ends: a label being deleted meanwhile is waited for and then missing, never
   * a foreign-key failure when it is put on a conversation.
   */
  async holdExisting(tenantId: string, labelIds: string[]): Promise<string[]> {
    if (labelIds.length === 0) return [];
    const rows = await this.sql.forTenant(tenantId)<{ id: string }>(
      `select id from label where tenant_id = :tenant and id = any(?::uuid[]) for key share`,
      [pgArray(labelIds)],
    );
    return rows.map((row) => row.id);
  }

  /** Makes `labelIds` (the tenant's, checked) exactly the labels of the (locked) conversation. */
  async replaceOnConversation(
    tenantId: string,
    conversationId: string,
    labelIds: string[],
  ): Promise<void> {
    const statement = this.sql.forTenant(tenantId);
    await statement(
      `delete from conversation_label cl using label l
       where cl.conversation_id = ? and l.id = cl.label_id and l.tenant_id = :tenant
         and not (cl.label_id = any(?::uuid[]))`,
      [conversationId, pgArray(labelIds)],
    );
    await statement(
      `insert into conversation_label (conversation_id, label_id)
       select ?, l.id from label l where l.tenant_id = :tenant and l.id = any(?::uuid[])
       on conflict do nothing`,
      [conversationId, pgArray(labelIds)],
    );
  }

  /** The most recently active conversations that carry the label (for the panels). */
  async conversationsCarrying(tenantId: string, labelId: string): Promise<string[]> {
    const rows = await this.sql.forTenant(tenantId)<{ id: string }>(
      `select c.id from conversation_label cl
       join conversation c on c.id = cl.conversation_id and c.tenant_id = :tenant
       where cl.label_id = ?
       order by c.last_message_at desc nulls last, c.id desc
       limit ?`,
      [labelId, MAX_CONVERSATIONS_PUSHED_PER_LABEL_CHANGE],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Deletes the tenant's label (its conversations lose it: the pivot's foreign key) and
   * returns it as it was, with the conversations that carried it (as
   * `conversationsCarrying`); null when there is no such label. The label is locked first, so no conversation gains it meanwhile.
   */
  async delete(
    tenantId: string,
    labelId: string,
  ): Promise<{ label: { name: string; color: string }; conversationIds: string[] } | null> {
    const statement = this.sql.forTenant(tenantId);
    const [label] = await statement<{ name: string; color: string }>(
      `select name, color from label where id = ? and tenant_id = :tenant for update`,
      [labelId],
    );
    if (!label) return null;
    const conversationIds = await this.conversationsCarrying(tenantId, labelId);
    await statement(`delete from label where id = ? and tenant_id = :tenant`, [labelId]);
    return { label, conversationIds };
  }
}
