import type { Sql } from '../../db/sql.js';
import type { UserRole } from '../operators/user.entity.js';

/** A user of the tenant as the visibility rule weighs them (conversation-visibility.ts). */
export type TenantMember = {
  id: string;
  name: string;
  role: UserRole;
  departmentIds: string[];
};

/** A note to write: the conversation gives its page; the author is its operator. */
export type NewNote = {
  id: string;
  conversationId: string;
  authorId: string;
  text: string;
  mentions: string[];
  occurredAt: Date;
};

/** The notes' statements, in the caller's transaction (a note alone, or with a transfer). */
export class NotesRepository {
  constructor(private readonly sql: Sql) {}

  /** Where the conversation is now (after any move earlier in this transaction); null if none. */
  async conversationPlace(
    tenantId: string,
    conversationId: string,
  ): Promise<{ departmentId: string | null; operatorId: string | null } | null> {
    const [row] = await this.sql.forTenant(tenantId)<{
      department_id: string | null;
      operator_id: string | null;
    }>(`select department_id, operator_id from conversation where id = ? and tenant_id = :tenant`, [
      conversationId,
    ]);
    return row ? { departmentId: row.department_id, operatorId: row.operator_id } : null;
  }

  /** Every user of the tenant with their departments. */
  async members(tenantId: string): Promise<TenantMember[]> {
    const rows = await this.sql.forTenant(tenantId)<{
      id: string;
      name: string;
      role: TenantMember['role'];
      department_ids: string[];
    }>(
      `select u.id, u.name, u.role,
         array(select ud.department_id from user_department ud where ud.user_id = u.id)
           as department_ids
       from app_user u where u.tenant_id = :tenant`,
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      role: row.role,
      departmentIds: row.department_ids,
    }));
  }

  /** Writes the note on the conversation's page: internal, never sent, no delivery state. */
  async insert(tenantId: string, note: NewNote): Promise<void> {
    await this.sql.forTenant(tenantId)(
      `insert into message (id, tenant_id, conversation_id, page_id, direction, source, kind,
         text, dedup_key, occurred_at, operator_id, mentions)
       select ?, c.tenant_id, c.id, c.page_id, 'internal', 'operator', 'note',
         ?, ?, ?, ?, ?::jsonb
       from conversation c where c.id = ? and c.tenant_id = :tenant`,
      [
        note.id,
        note.text,
        `omni-note:${note.id}`,
        note.occurredAt,
        note.authorId,
        JSON.stringify(note.mentions),
        note.conversationId,
      ],
    );
  }
}
