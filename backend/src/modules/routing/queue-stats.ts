import type { EntityManager } from '@mikro-orm/postgresql';
import { validate as isUuid } from 'uuid';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { idSchema } from '../../http/schemas.js';

/** Service-level thresholds, as contact centres usually state them. */
export const ASSIGNED_WITHIN_SECONDS = 20;
export const ANSWERED_WITHIN_SECONDS = 60;

/** The longest period one request may cover. */
const MAX_PERIOD_DAYS = 93;

export const queueStatsQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  departmentId: idSchema.optional(),
});

export type QueueStatsQuery = z.infer<typeof queueStatsQuerySchema>;

export const queueStatsSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    entered: z.number().int().meta({ description: 'Times a chat entered the queue' }),
    assigned: z.number().int().meta({ description: '…of which an operator got it' }),
    assignedWithinTarget: z
      .number()
      .nullable()
      .meta({
        description:
          `Share (0–1) of queue entries assigned within ${ASSIGNED_WITHIN_SECONDS} s, of those ` +
          `assigned or waiting longer (a chat still waiting less, or closed sooner, is not judged yet)`,
      }),
    answeredWithinTarget: z
      .number()
      .nullable()
      .meta({
        description:
          `Share (0–1) of queue entries an operator answered within ${ANSWERED_WITHIN_SECONDS} s, of ` +
          `those answered or unanswered for longer (a chat closed sooner without an answer is not judged)`,
      }),
    averageWaitSeconds: z.number().nullable().meta({ description: 'Queue entry to assignment' }),
    averageSpeedOfAnswerSeconds: z
      .number()
      .nullable()
      .meta({ description: "Queue entry to the operator's first reply" }),
    averageHandlingSeconds: z
      .number()
      .nullable()
      .meta({ description: 'Assignment to close, for chats closed in the period' }),
    closedWhileWaiting: z.number().int(),
    perOperator: z
      .array(
        z.object({ operatorId: z.string().nullable(), name: z.string(), chats: z.number().int() }),
      )
      .meta({ description: 'Chats each operator got (the fairness check), most first' }),
  })
  .meta({ id: 'QueueStats' });

export type QueueStats = z.infer<typeof queueStatsSchema>;

const ASSIGNMENT_TYPES = `('assigned', 'taken', 'transferred')`;

/**
 * Figures over a period, from the conversation event log: how fast chats were assigned and
 * answered, how long they were handled, how many were closed unserved, and how evenly the
 * chats went round the operators.
 */
export class QueueStatsService {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async over(tenantId: string, query: QueueStatsQuery): Promise<QueueStats> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (!(from < to) || to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
      throw new ValidationError({
        to: `Give a period that ends after it starts and spans at most ${MAX_PERIOD_DAYS} days.`,
      });
    }
    const department = query.departmentId ?? null;
    if (department !== null && !isUuid(department)) {
      throw new ValidationError({ departmentId: 'This is not a department of yours.' });
    }
    const now = this.clock();
    const connection = this.em.getConnection();
    // Each queue entry of the period with what came next (even after the period: its outcome
    // is known now), the first operator reply after it, and the first close after it.
    const [queue] = await connection.execute<Record<string, string | null>[]>(
      `with entry as (
         select e.occurred_at, next.type as next_type, next.occurred_at as next_at,
           (select min(m.occurred_at) from message m
            where m.conversation_id = e.conversation_id and m.direction = 'out'
              and m.source = 'operator' and m.occurred_at >= e.occurred_at) as replied_at,
           (select min(c.occurred_at) from conversation_event c
            where c.conversation_id = e.conversation_id and c.type = 'closed'
              and c.occurred_at >= e.occurred_at) as closed_at
         from conversation_event e
         left join lateral (
           select n.type, n.occurred_at from conversation_event n
           where n.conversation_id = e.conversation_id
             and (n.occurred_at, n.id) > (e.occurred_at, e.id)
           order by n.occurred_at, n.id limit 1
         ) next on true
         where e.tenant_id = ? and e.occurred_at >= ? and e.occurred_at < ?
           and e.type in ('queued', 'requeued')
           and (?::uuid is null or e.department_id = ?::uuid)
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
         count(*) filter (where replied_at is not null
           or unanswered_for > make_interval(secs => ?)) as answer_judged,
         avg(extract(epoch from waited)) filter (where assigned) as average_wait,
         avg(extract(epoch from replied_at - occurred_at)) as average_speed_of_answer,
         count(*) filter (where next_type = 'closed') as closed_while_waiting
       from judged`,
      [
        tenantId,
        from,
        to,
        department,
        department,
        now,
        now,
        ASSIGNED_WITHIN_SECONDS,
        ASSIGNED_WITHIN_SECONDS,
        ANSWERED_WITHIN_SECONDS,
        ANSWERED_WITHIN_SECONDS,
      ],
    );
    const [handling] = await connection.execute<{ average: string | null }[]>(
      `select avg(extract(epoch from closed.occurred_at - picked.at)) as average
       from conversation_event closed
       cross join lateral (select max(e.occurred_at) as at from conversation_event e
         where e.conversation_id = closed.conversation_id and e.type in ('assigned', 'taken')
           and e.occurred_at <= closed.occurred_at) picked
       where closed.tenant_id = ? and closed.type = 'closed'
         and closed.occurred_at >= ? and closed.occurred_at < ? and picked.at is not null
         and (?::uuid is null or closed.department_id = ?::uuid)`,
      [tenantId, from, to, department, department],
    );
    const perOperator = await connection.execute<
      { operator_id: string | null; name: string | null; chats: string }[]
    >(
      `select operator_id, max(operator_name) as name, count(*) as chats
       from conversation_event
       where tenant_id = ? and type in ${ASSIGNMENT_TYPES}
         and occurred_at >= ? and occurred_at < ?
         and (?::uuid is null or department_id = ?::uuid)
       group by operator_id order by chats desc, name`,
      [tenantId, from, to, department, department],
    );

    const count = (value: string | null | undefined) => Number(value ?? 0);
    const seconds = (value: string | null | undefined) =>
      value === null || value === undefined ? null : Math.round(Number(value) * 10) / 10;
    const share = (part: number, whole: number) =>
      whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;
    const entered = count(queue?.['entered']);
    const assigned = count(queue?.['assigned']);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      entered,
      assigned,
      assignedWithinTarget: share(
        count(queue?.['assigned_in_time']),
        count(queue?.['assignment_judged']),
      ),
      answeredWithinTarget: share(
        count(queue?.['answered_in_time']),
        count(queue?.['answer_judged']),
      ),
      averageWaitSeconds: seconds(queue?.['average_wait']),
      averageSpeedOfAnswerSeconds: seconds(queue?.['average_speed_of_answer']),
      averageHandlingSeconds: seconds(handling?.average),
      closedWhileWaiting: count(queue?.['closed_while_waiting']),
      perOperator: perOperator.map((row) => ({
        operatorId: row.operator_id,
        name: row.name ?? '—',
        chats: count(row.chats),
      })),
    };
  }
}
