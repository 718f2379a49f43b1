import { v7 as uuidv7 } from 'uuid';
import { pgArray, type Sql } from '../../db/sql.js';
import type { AuditRecord } from './audit-entry.entity.js';

/** The audit log's statements: entries are appended in the transaction of their change. */
export class AuditRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Appends one entry, with the actor's name as it is now (read in the same statement), and
   * a conversation's visitor as its name when the caller gave none. The time is set here, in
   * milliseconds, so the cursor (which carries milliseconds) matches the stored value.
   */
  async append(tenantId: string, actorId: string, record: Required<AuditRecord>): Promise<void> {
    const at = new Date();
    await this.sql.forTenant(tenantId)(
      `insert into audit_entry
         (id, created_at, updated_at, tenant_id, actor_id, actor_name,
          action, target_type, target_id, target_name, changes)
       select ?, ?, ?, :tenant, u.id, u.name, ?, ?, ?,
         coalesce(?::text, (
           select nullif(trim(coalesce(ct.first_name, '') || ' ' || coalesce(ct.last_name, '')), '')
             from conversation c join contact ct on ct.id = c.contact_id
            where c.id = ?::uuid and c.tenant_id = :tenant)),
         ?::jsonb
       from app_user u where u.id = ? and u.tenant_id = :tenant`,
      [
        uuidv7(),
        at,
        at,
        record.action,
        record.target.type,
        record.target.id,
        record.target.name,
        record.target.id,
        JSON.stringify(record.changes),
        actorId,
      ],
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
