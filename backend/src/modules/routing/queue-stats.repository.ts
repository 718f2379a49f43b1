import type { Sql } from '../../db/sql.js';

/** An operator got the chat: from the queue, from a colleague, or back to follow it up. */
const ASSIGNMENT_TYPES = `('assigned', 'taken', 'transferred', 'reopened')`;

/** A period of the event log, of one department (null: all). */
/** `departmentIds`: the departments counted (as a PostgreSQL array literal); null, all. */
export type StatsPeriod = { from: Date; to: Date; departmentIds: string | null };

/**
 * The queue figures' reads of the conversation event log. Figures come back as PostgreSQL
 * gives them (counts and averages as text, null when there is nothing to count).
 */
export class QueueStatsRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Each queue entry of the period with what came next (even after the period: its outcome
   * is known now), the first operator reply after it, and the first close after it; counted.
   * An erased visitor's entries count in everything but the answers, which cannot be judged.
   */
  async queueEntries(
    tenantId: string,
    { from, to, departmentIds }: StatsPeriod,
    now: Date,
    targets: { assignedWithinSeconds: number; answeredWithinSeconds: number },
  ): Promise<Record<string, string | null> | undefined> {
    const [row] = await this.sql.forTenant(tenantId)<Record<string, string | null>>(
      `with entry as (
         select e.occurred_at, next.type as next_type, next.occurred_at as next_at,
           (select min(m.occurred_at) from message m
            where m.conversation_id = e.conversation_id and m.direction = 'out'
              and m.source = 'operator' and m.occurred_at >= e.occurred_at) as replied_at,
           (select min(c.occurred_at) from conversation_event c
            where c.conversation_id = e.conversation_id and c.type = 'closed'
              and c.occurred_at >= e.occurred_at) as closed_at,
           -- An erased visitor's conversation has no messages left to judge an answer by.
           exists (select 1 from conversation x join contact ct on ct.id = x.contact_id
             where x.id = e.conversation_id and ct.erased_at is not null) as erased
         from conversation_event e
         left join lateral (
           select n.type, n.occurred_at from conversation_event n
           where n.conversation_id = e.conversation_id
             and (n.occurred_at, n.id) > (e.occurred_at, e.id)
           order by n.occurred_at, n.id limit 1
         ) next on true
         where e.tenant_id = :tenant and e.occurred_at >= ? and e.occurred_at < ?
           and e.type in ('queued', 'requeued')
           and (?::uuid[] is null or e.department_id = any(?::uuid[]))
       ), judged as (
         select entry.*,
           next_type in ${ASSIGNMENT_TYPES} as assigned,
           coalesce(next_at, ?::timestamptz) - occurred_at as waited,
           coalesce(closed_at, ?::timestamptz) - occurred_at as unanswered_for
         from entry
       )
       select
         count(*) as entered,
         count(*) filter (where assigned) as assigned,
         count(*) filter (where assigned and waited <= make_interval(secs => ?)) as assigned_in_time,
         count(*) filter (where assigned or waited > make_interval(secs => ?)) as assignment_judged,
         count(*) filter (where replied_at - occurred_at <= make_interval(secs => ?)) as answered_in_time,
         count(*) filter (where not erased and (replied_at is not null
           or unanswered_for > make_interval(secs => ?))) as answer_judged,
         avg(extract(epoch from waited)) filter (where assigned) as average_wait,
         avg(extract(epoch from replied_at - occurred_at)) as average_speed_of_answer,
         count(*) filter (where next_type = 'closed') as closed_while_waiting
       from judged`,
      [
        from,
        to,
        departmentIds,
        departmentIds,
        now,
        now,
        targets.assignedWithinSeconds,
        targets.assignedWithinSeconds,
        targets.answeredWithinSeconds,
        targets.answeredWithinSeconds,
      ],
    );
    return row;
  }

  /** The average time from assignment to close of the chats closed in the period. */
  async averageHandling(
    tenantId: string,
    { from, to, departmentIds }: StatsPeriod,
  ): Promise<{ average: string | null } | undefined> {
    const [row] = await this.sql.forTenant(tenantId)<{ average: string | null }>(
      `select avg(extract(epoch from closed.occurred_at - picked.at)) as average
       from conversation_event closed
       cross join lateral (select max(e.occurred_at) as at from conversation_event e
         where e.conversation_id = closed.conversation_id
           and e.type in ('assigned', 'taken', 'reopened')
           and e.occurred_at <= closed.occurred_at) picked
       where closed.tenant_id = :tenant and closed.type = 'closed'
         and closed.occurred_at >= ? and closed.occurred_at < ? and picked.at is not null
         and (?::uuid[] is null or closed.department_id = any(?::uuid[]))`,
      [from, to, departmentIds, departmentIds],
    );
    return row;
  }

  /** The chats each operator got in the period, most first. */
  assignmentsPerOperator(
    tenantId: string,
    { from, to, departmentIds }: StatsPeriod,
  ): Promise<{ operator_id: string | null; name: string | null; chats: string }[]> {
    return this.sql.forTenant(tenantId)(
      `select operator_id, max(operator_name) as name, count(*) as chats
       from conversation_event
       where tenant_id = :tenant and type in ${ASSIGNMENT_TYPES}
         and occurred_at >= ? and occurred_at < ?
         and (?::uuid[] is null or department_id = any(?::uuid[]))
       group by operator_id order by chats desc, name`,
      [from, to, departmentIds, departmentIds],
    );
  }

  /** Chats closed by themselves in the period after their visitor's silence. */
  async countAutoClosed(
    tenantId: string,
    { from, to, departmentIds }: StatsPeriod,
  ): Promise<number> {
    const [row] = await this.sql.forTenant(tenantId)<{ closed: string }>(
      `select count(*) as closed from conversation_event
       where tenant_id = :tenant and type = 'closed' and reason = 'inactivity'
         and occurred_at >= ? and occurred_at < ?
         and (?::uuid[] is null or department_id = any(?::uuid[]))`,
      [from, to, departmentIds, departmentIds],
    );
    return Number(row?.closed ?? 0);
  }

  /**
   * Conversations whose reply window expired in the period (up to now) while a visitor
   * message was unanswered. A window expires at the visitor's last action plus 24 hours (7
   * days where the page has the Human Agent feature) when no newer action renewed it; it
   * expired unanswered when, by then, a visitor message (a reaction asks for nothing) was
   * newer than the last reply (an operator's, or a person's from the page inbox, that did
   * not fail). Notes (direction "internal") and automatic notices are no replies.
   */
  async countWindowsExpiredUnanswered(
    tenantId: string,
    { from, to, departmentIds }: StatsPeriod,
    now: Date,
  ): Promise<number> {
    const until = now < to ? now : to;
    const [row] = await this.sql.forTenant(tenantId)<{ expired: string }>(
      `select count(distinct m.conversation_id) as expired
       from message m
       join conversation c on c.id = m.conversation_id
       join facebook_page p on p.id = c.page_id
       cross join lateral (select m.occurred_at + case when p.human_agent_enabled
         then interval '7 days' else interval '24 hours' end as closes_at) w
       cross join lateral (select max(r.occurred_at) as at from message r
         where r.conversation_id = m.conversation_id and r.direction = 'out'
           and r.source in ('operator', 'page_inbox') and r.status is distinct from 'failed'
           and r.occurred_at < w.closes_at) last_reply
       where m.tenant_id = :tenant and m.direction = 'in' and m.source = 'visitor'
         and m.occurred_at >= ?::timestamptz - interval '7 days' and m.occurred_at < ?
         and w.closes_at >= ? and w.closes_at < ?
         and (?::uuid[] is null or c.department_id = any(?::uuid[]))
         and not exists (select 1 from message n where n.conversation_id = m.conversation_id
           and n.direction = 'in' and n.source = 'visitor'
           and n.occurred_at > m.occurred_at and n.occurred_at < w.closes_at)
         and exists (select 1 from message u where u.conversation_id = m.conversation_id
           and u.direction = 'in' and u.source = 'visitor' and u.kind <> 'reaction'
           and u.occurred_at <= m.occurred_at
           and u.occurred_at > coalesce(last_reply.at, '-infinity'::timestamptz))`,
      [from, until, from, until, departmentIds, departmentIds],
    );
    return Number(row?.expired ?? 0);
  }
}
