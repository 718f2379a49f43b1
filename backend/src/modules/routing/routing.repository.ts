import { pgArray, type Sql } from '../../db/sql.js';
import type { OperatorStatus, UserRole } from '../operators/user.entity.js';

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
 * The queue's statements about operators and its figures (the conversations themselves are
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
  ): Promise<{ status: OperatorStatus; role: UserRole } | null> {
    const [operator] = await this.sql.forTenant(tenantId)<{
      status: OperatorStatus;
      role: UserRole;
    }>('select status, role from app_user where id = ? and tenant_id = :tenant for update', [
      operatorId,
    ]);
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

  /** Operators of every tenant who are not offline, with when their status last changed. */
  async operatorsAtWork(): Promise<{ id: string; tenantId: string; statusChangedAt: Date }[]> {
    const rows = await this.sql.acrossTenants<{
      id: string;
      tenant_id: string;
      status_changed_at: string | Date;
    }>(`select id, tenant_id, status_changed_at from app_user where status <> 'offline'`);
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      statusChangedAt: new Date(row.status_changed_at),
    }));
  }

  /** Waiting and served conversations per department (null: none) and status. */
  async openConversationCounts(tenantId: string): Promise<
    {
      departmentId: string | null;
      status: 'queued' | 'assigned';
      count: number;
      oldestQueuedAt: Date | null;
    }[]
  > {
    const rows = await this.sql.forTenant(tenantId)<{
      department_id: string | null;
      status: 'queued' | 'assigned';
      count: string;
      oldest: Date | string | null;
    }>(
      `select department_id, status, count(*) as count, min(queued_at) as oldest
       from conversation where tenant_id = :tenant and status in ('queued', 'assigned')
       group by department_id, status`,
    );
    return rows.map((row) => ({
      departmentId: row.department_id,
      status: row.status,
      count: Number(row.count),
      oldestQueuedAt: row.oldest ? new Date(row.oldest) : null,
    }));
  }

  /** The tenant's departments, by name. */
  async departmentIds(tenantId: string): Promise<string[]> {
    const rows = await this.sql.forTenant(tenantId)<{ id: string }>(
      'select id from department where tenant_id = :tenant order by lower(name)',
    );
    return rows.map((row) => row.id);
  }

  /** Whether the tenant wants any automatic queue notice. */
  async areQueueNoticesEnabled(tenantId: string): Promise<boolean> {
    const [row] = await this.sql.forTenant(tenantId)<{ enabled: boolean }>(
      `select queue_notice_enabled or offline_notice_enabled
              or exists (select 1 from department d where d.tenant_id = tenant.id
                           and coalesce(d.hours->>'awayMessage', '') <> '') as enabled
       from tenant where id = :tenant`,
    );
    return row?.enabled === true;
  }

  /** Whether the tenant asks visitors for a rating when their chat closes. */
  async isCsatEnabled(tenantId: string): Promise<boolean> {
    const [row] = await this.sql.forTenant(tenantId)<{ csat_enabled: boolean }>(
      'select csat_enabled from tenant where id = :tenant',
    );
    return row?.csat_enabled === true;
  }

  /**
   * When the visitor's present episode of a conversation began: its latest entry into the
   * queue as new or reopened by the visitor's message (null: none logged).
   */
  async visitorEpisodeStart(tenantId: string, conversationId: string): Promise<Date | null> {
    const [row] = await this.sql.forTenant(tenantId)<{ started_at: Date | string | null }>(
      `select max(occurred_at) as started_at from conversation_event
       where tenant_id = :tenant and conversation_id = ? and type = 'queued'
         and reason in ('new_conversation', 'visitor_wrote')`,
      [conversationId],
    );
    return row?.started_at ? new Date(row.started_at) : null;
  }

  /** Online operators who serve a department (null: the chats without one, which all serve). */
  async countOnlineServing(tenantId: string, departmentId: string | null): Promise<number> {
    const [row] = await this.sql.forTenant(tenantId)<{ online: string }>(
      `select count(*) as online from app_user u
       where u.tenant_id = :tenant and u.status = 'online'
         and (?::uuid is null or exists (select 1 from user_department ud
              where ud.user_id = u.id and ud.department_id = ?::uuid))`,
      [departmentId, departmentId],
    );
    return Number(row?.online ?? 0);
  }

  /**
   * A waiting conversation's place in its department's queue, and the average wait of the
   * chats of that department assigned since `recentSince` (null when there were none).
   */
  async placeAndRecentWait(
    tenantId: string,
    conversation: { id: string; queuedAt: Date; departmentId: string | null },
    recentSince: Date,
  ): Promise<{ position: number; averageWaitSeconds: number | null }> {
    const { departmentId } = conversation;
    const [row] = await this.sql.forTenant(tenantId)<{ position: string; wait: string | null }>(
      `select
         (select count(*) from conversation c
          where c.tenant_id = :tenant and c.status = 'queued'
            and c.department_id is not distinct from ?::uuid
            and (c.queued_at, c.id) <= (?::timestamptz, ?::uuid)) as position,
         (select avg(extract(epoch from a.occurred_at - q.occurred_at))
          from conversation_event a
          cross join lateral (select max(e.occurred_at) as occurred_at from conversation_event e
            where e.conversation_id = a.conversation_id and e.type in ('queued', 'requeued')
              and e.occurred_at <= a.occurred_at) q
          where a.tenant_id = :tenant and a.type in ('assigned', 'taken') and a.occurred_at >= ?
            and a.department_id is not distinct from ?::uuid) as wait`,
      [departmentId, conversation.queuedAt, conversation.id, recentSince, departmentId],
    );
    return {
      position: Number(row?.position ?? 0),
      averageWaitSeconds: row?.wait == null ? null : Number(row.wait),
    };
  }
}
