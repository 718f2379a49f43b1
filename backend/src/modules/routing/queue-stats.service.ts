import type { EntityManager } from '@mikro-orm/postgresql';
import { validate as isUuid } from 'uuid';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { idSchema } from '../../http/schemas.js';
import { pgArray, sqlIn } from '../../db/sql.js';
import type { Actor } from '../auth/actor.js';
import { loadViewer } from '../conversations/conversation-visibility.js';
import { QueueStatsRepository } from './queue-stats.repository.js';

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
    autoClosed: z.number().int().meta({
      description:
        "Chats closed by themselves after their visitor's silence (autoCloseAfterMinutes)",
    }),
    windowExpiredUnanswered: z.number().int().meta({
      description:
        'Conversations whose reply window expired in the period while a visitor message was unanswered',
    }),
    perOperator: z
      .array(
        z.object({ operatorId: z.string().nullable(), name: z.string(), chats: z.number().int() }),
      )
      .meta({ description: 'Chats each operator got (the fairness check), most first' }),
  })
  .meta({ id: 'QueueStats' });

export type QueueStats = z.infer<typeof queueStatsSchema>;

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

  /**
   * An admin's figures cover the tenant, or the department asked; a supervisor's only their
   * departments (another department is refused as one of another tenant would be).
   */
  async over(actor: Actor, query: QueueStatsQuery): Promise<QueueStats> {
    const tenantId = actor.tenantId;
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (!(from < to) || to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
      throw new ValidationError({
        to: `Give a period that ends after it starts and spans at most ${MAX_PERIOD_DAYS} days.`,
      });
    }
    const department = query.departmentId ?? null;
    const scope = actor.role === 'admin' ? null : (await loadViewer(this.em, actor)).departmentIds;
    if (
      department !== null &&
      (!isUuid(department) || (scope !== null && !scope.includes(department)))
    ) {
      throw new ValidationError({ departmentId: 'This is not a department of yours.' });
    }
    const departmentIds = department !== null ? [department] : scope;
    const now = this.clock();
    const repository = new QueueStatsRepository(sqlIn(this.em));
    const period = { from, to, departmentIds: departmentIds && pgArray([...departmentIds]) };
    const queue = await repository.queueEntries(tenantId, period, now, {
      assignedWithinSeconds: ASSIGNED_WITHIN_SECONDS,
      answeredWithinSeconds: ANSWERED_WITHIN_SECONDS,
    });
    const handling = await repository.averageHandling(tenantId, period);
    const perOperator = await repository.assignmentsPerOperator(tenantId, period);
    const autoClosed = await repository.countAutoClosed(tenantId, period);
    const windowExpiredUnanswered = await repository.countWindowsExpiredUnanswered(
      tenantId,
      period,
      now,
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
      autoClosed,
      windowExpiredUnanswered,
      perOperator: perOperator.map((row) => ({
        operatorId: row.operator_id,
        name: row.name ?? '—',
        chats: count(row.chats),
      })),
    };
  }
}
