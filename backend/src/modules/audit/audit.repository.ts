import { v7 as uuidv7 } from 'uuid';
import { pgArray, type Sql } from '../../db/sql.js';
import type { AuditRecord } from './audit-entry.entity.js';

/** The audit log's statements: entries are appended in the transaction of their change. */
export class AuditRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Appends one entry, with the actor's name as it is now (read in the same statement), and
   * a conversation's visitor as its name when the caller gave none. The time is set here, in
   * milliseconds, so the cursor (which carries milliseconds) matches the stored value. An API
   * token is nobody: its entries have no actor id and its name as the actor's name; so is
   * Omni itself (`{omni: true}`), for what it does on its own (disabling a failing webhook).
   */
  async append(
    tenantId: string,
    by: { userId: string } | { apiTokenName: string } | { omni: true },
    record: Required<AuditRecord>,
  ): Promise<void> {
    const at = new Date();
    // A user's id and name are read in the insert (none written if they are not the
    // tenant's); an API token's name is bound as a value, with no row to read.
    const actor =
      'userId' in by
        ? {
            columns: 'u.id, u.name',
            nameBindings: [],
            source: 'from app_user u where u.id = ? and u.tenant_id = :tenant',
            sourceBindings: [by.userId],
          }
        : {
            columns: 'null::uuid, ?::text',
            nameBindings: [
              'apiTokenName' in by ? `API token “${by.apiTokenName}”`.slice(0, 120) : 'Omni',
            ],
            source: '',
            sourceBindings: [],
          };
    await this.sql.forTenant(tenantId)(
      `insert into audit_entry
         (id, created_at, updated_at, tenant_id, actor_id, actor_name,
          action, target_type, target_id, target_name, changes)
       select ?, ?, ?, :tenant, ${actor.columns}, ?, ?, ?,
         coalesce(?::text, (
           select nullif(trim(coalesce(ct.first_name, '') || ' ' || coalesce(ct.last_name, '')), '')
             from conversation c join contact ct on ct.id = c.contact_id
            where c.id = ?::uuid and c.tenant_id = :tenant)),
         ?::jsonb
       ${actor.source}`,
      [
        uuidv7(),
        at,
        at,
        ...actor.nameBindings,
        record.action,
        record.target.type,
        record.target.id,
        record.target.name,
        record.target.id,
        JSON.stringify(record.changes),
        ...actor.sourceBindings,
      ],
    );
  }

  /**
   * Forgets the visitor's name that entries about these conversations kept (an erased
   * visitor's): the one change ever made to a written entry, so that erasing leaves no name.
   */
  async forgetConversationNames(tenantId: string, conversationIds: string[]): Promise<void> {
    if (conversationIds.length === 0) return;
    await this.sql.forTenant(tenantId)(
      `update audit_entry set target_name = null
       where tenant_id = :tenant and target_type = 'conversation' and target_id = any(?::uuid[])`,
      [pgArray(conversationIds)],
    );
  }

  /** The names of these users (the tenant's), by id: who a conversation moved between. */
  async userNames(tenantId: string, userIds: string[]): Promise<Map<string, string>> {
    const ids = userIds.filter((id): id is string => Boolean(id));
    if (ids.length === 0) return new Map();
    const rows = await this.sql.forTenant(tenantId)<{ id: string; name: string }>(
      `select id, name from app_user where tenant_id = :tenant and id = any(?::uuid[])`,
      [pgArray(ids)],
    );
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** A department's name (the tenant's), or null. */
  async departmentName(tenantId: string, departmentId: string): Promise<string | null> {
    const [row] = await this.sql.forTenant(tenantId)<{ name: string }>(
      `select name from department where tenant_id = :tenant and id = ?`,
      [departmentId],
    );
    return row?.name ?? null;
  }
}
