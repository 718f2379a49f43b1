import { pgArray, type Sql } from '../../db/sql.js';
import type { OperatorStatus } from '../operators/user.entity.js';

/** An operator as the queue weighs them: how many chats they hold, and may hold. */
export type OperatorLoad = {
  id: string;
  name: string;
  status: OperatorStatus;
  /** Chats they hold now. */
  load: number;
  /** Chats they may hold: their own limit, else the tenant's. */
  capacity: number;
  lastAssignedAt: Date | null;
  departmentIds: string[];
};

/**
 * The queue's statements about operators (the conversations themselves are
 * ConversationStore's). Each runs in the caller's transaction, or on its own without one.
 */
export class RoutingRepository {
  constructor(private readonly sql: Sql) {}

  /** The tenant's online operators that no other dispatcher is assigning to, locked. */
  async lockOnlineOperators(tenantId: string): Promise<string[]> {
    const rows = await this.sql.forTenant(tenantId)<{ id: string }>(
      `select id from app_user where tenant_id = :tenant and status = 'online'
       order by id for update skip locked`,
    );
    return rows.map((row) => row.id);
  }

  /**
   * Operators' loads and capacities: the one place both are counted. `operatorIds` null:
   * all of the tenant's, by name. Counted by a statement of its own, so that after the
   * operators were locked every earlier assignment is seen.
   */
  async operatorLoads(tenantId: string, operatorIds: string[] | null): Promise<OperatorLoad[]> {
    const ids = operatorIds && pgArray(operatorIds);
    const rows = await this.sql.forTenant(tenantId)<{
      id: string;
      name: string;
      status: OperatorStatus;
      load: string;
      capacity: number;
      last_assigned_at: Date | string | null;
      department_ids: string[];
    }>(
      `select u.id, u.name, u.status, u.last_assigned_at,
         (select count(*) from conversation c where c.operator_id = u.id and c.status = 'assigned') as load,
         coalesce(u.max_chats, t.default_max_chats) as capacity,
         array(select ud.department_id from user_department ud where ud.user_id = u.id) as department_ids
       from app_user u join tenant t on t.id = u.tenant_id
       where u.tenant_id = :tenant and (?::uuid[] is null or u.id = any(?::uuid[]))
       order by u.name, u.id`,
      [ids, ids],
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      status: row.status,
      load: Number(row.load),
      capacity: row.capacity,
      lastAssignedAt: row.last_assigned_at ? new Date(row.last_assigned_at) : null,
      departmentIds: row.department_ids,
    }));
  }

  /** Locks an operator who is to receive a chat by hand; null when there is none such. */
  async lockOperator(
    tenantId: string,
    operatorId: string,
  ): Promise<{ status: OperatorStatus } | null> {
    const [operator] = await this.sql.forTenant(tenantId)<{ status: OperatorStatus }>(
      'select status from app_user where id = ? and tenant_id = :tenant for update',
      [operatorId],
    );
    return operator ?? null;
  }

  /**
   * Notes when operators got their latest chat. Microseconds apart in the order given (the
   * plan's), so the next pass sees who was idle longest.
   */
  async markAssigned(tenantId: string, operatorIds: string[], at: Date): Promise<void> {
    await this.sql.forTenant(tenantId)(
      `update app_user u set last_assigned_at = ?::timestamptz + v.step * interval '1 microsecond'
       from (select operator_id, max(step) as step
             from unnest(?::uuid[]) with ordinality as p(operator_id, step) group by operator_id) v
       where u.id = v.operator_id and u.tenant_id = :tenant`,
      [at, pgArray(operatorIds)],
    );
  }

  /** The tenant's department of that id (null: none). */
  async findDepartment(tenantId: string, departmentId: string): Promise<string | null> {
    const [department] = await this.sql.forTenant(tenantId)<{ id: string }>(
      'select id from department where id = ? and tenant_id = :tenant',
      [departmentId],
    );
    return department?.id ?? null;
  }

  async firstResponseTimeoutSeconds(tenantId: string): Promise<number | null> {
    const [tenant] = await this.sql.forTenant(tenantId)<{ seconds: number | null }>(
      'select first_response_timeout_seconds as seconds from tenant where id = :tenant',
    );
    return tenant?.seconds ?? null;
  }
}
