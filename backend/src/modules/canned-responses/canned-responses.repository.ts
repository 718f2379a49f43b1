import type { Sql } from '../../db/sql.js';
import type { Actor } from '../auth/actor.js';
import type { CannedResponse, CannedResponseScope } from './canned-response.entity.js';

/** The canned responses' statements: who sees which shortcut is a question about sets. */
export class CannedResponsesRepository {
  constructor(private readonly sql: Sql) {}

  /** Serialises the tenant's shortcut checks until the transaction ends (writes are rare). */
  async lockShortcuts(tenantId: string): Promise<void> {
    await this.sql.forTenant(tenantId)(
      `select pg_advisory_xact_lock(hashtextextended('canned_response:' || :tenant, 0))`,
    );
  }

  /** The departments the actor belongs to. */
  async departmentIdsOf(actor: Actor): Promise<string[]> {
    const rows = await this.sql.forTenant(actor.tenantId)<{ department_id: string }>(
      `select ud.department_id from user_department ud
       join department d on d.id = ud.department_id and d.tenant_id = :tenant
       where ud.user_id = ?`,
      [actor.userId],
    );
    return rows.map((row) => row.department_id);
  }

  /**
   * Another response with the same shortcut (case-insensitive) that someone who sees
   * `response` also sees; what kind of one it is from the point of view of the writer.
   */
  async findShortcutClash(
    response: CannedResponse,
    writerId: string,
  ): Promise<CannedResponseScope | 'colleague' | null> {
    const seenBy: Record<CannedResponseScope, { where: string; params: unknown[] }> = {
      // Everyone sees it: every other response of the tenant clashes.
      tenant: { where: 'true', params: [] },
      // Its members see it: shared ones, and their personal ones.
      department: {
        where: `scope <> 'personal' or owner_id in
                  (select user_id from user_department where department_id = ?)`,
        params: [response.department?.id],
      },
      // Its owner sees it: tenant ones, their departments' ones, their own.
      personal: {
        where: `scope = 'tenant' or owner_id = ? or department_id in
                  (select department_id from user_department where user_id = ?)`,
        params: [response.owner?.id, response.owner?.id],
      },
    };
    const { where, params } = seenBy[response.scope];
    const [clash] = await this.sql.forTenant(response.tenant.id)<{
      scope: CannedResponseScope;
      owner_id: string | null;
    }>(
      `select scope, owner_id from canned_response
       where tenant_id = :tenant and lower(shortcut) = lower(?) and id <> ? and (${where})
       limit 1`,
      [response.shortcut, response.id, ...params],
    );
    if (!clash) return null;
    if (clash.scope === 'personal' && clash.owner_id !== writerId) return 'colleague';
    return clash.scope;
  }
}
