import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7, validate as isUuid } from 'uuid';
import { pgArray, sqlTransaction, type Sql } from '../../db/sql.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import { appendToOutbox } from '../../outbox/outbox.js';
import type { RoutingChangedPayload } from '../../outbox/outbox-map.js';
import type { Actor } from '../auth/actor.js';
import {
  ConversationEvent,
  type ConversationEventReason,
  type ConversationEventType,
} from './conversation-event.entity.js';
import { planAssignments, type CandidateOperator } from './assignment-plan.js';
import { toConversationEventDto, type ConversationEventDto } from './routing.schemas.js';

/** Tells the dispatcher of a tenant that there may be something to assign. */
export type WakeDispatcher = (tenantId: string) => Promise<void>;

/** Tells the panels which conversations of a tenant changed, after the change is committed. */
export type ConversationsChanged = (tenantId: string, conversationIds: string[]) => Promise<void>;

export type RoutingHooks = {
  /** Goes on with a long pass in a fresh job (what moves cause goes through the outbox). */
  wakeDispatcher: WakeDispatcher;
  /**
   * Performs the outbox entries a move just committed (the fast path; never throws). What
   * it could not do, or a process that died first left, the outbox sweep performs.
   */
  dispatchCommitted: (outboxEntryIds: string[]) => Promise<void>;
};

export type TransferTarget = { operatorId: string } | { departmentId: string };

/** One dispatch job assigns at most about this many before it hands over to a fresh job. */
const MAX_ASSIGNMENTS_PER_PASS = 500;
/** Chats planned in one transaction. */
const BATCH_SIZE = 100;

/** What the queue knows of one conversation, read under its row lock. */
type LockedConversation = {
  id: string;
  status: 'queued' | 'assigned' | 'closed';
  operator_id: string | null;
  department_id: string | null;
};

/**
 * The queue. PostgreSQL alone decides who holds which conversation: every change runs in a
 * short transaction that locks the conversation row (so it is assigned once) and the
 * receiving operator's row (so their load is counted after everyone before them committed,
 * and capacity is never exceeded). Jobs only wake the dispatcher; a lost or repeated wake
 * delays an assignment but can never make a wrong one.
 */
export class RoutingService {
  constructor(
    private readonly em: EntityManager,
    private readonly hooks: RoutingHooks,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Assigns the oldest waiting conversation that someone can take to the eligible operator
   * with the lowest load, then the longest idle, and repeats until nothing more fits.
   * A reopened conversation goes to the operator who held it, when they can take it.
   * Safe to run in any number of processes at once. Returns the conversations assigned.
   */
  async dispatch(tenantId: string): Promise<string[]> {
    const assigned: string[] = [];
    const timeoutSeconds = await this.firstResponseTimeoutSeconds(tenantId);
    // Each batch reaches the panels as soon as it is committed, while the next batch is being
    // assigned: under a steady stream of new chats a pass goes on for a while, and the first
    // ones must not wait for its end. Publications stay in order among themselves.
    const publications = new PublicationChain();
    while (assigned.length < MAX_ASSIGNMENTS_PER_PASS) {
      const batch = await this.transaction(async (sql) => {
        const assignments = await this.assignBatch(sql, tenantId);
        if (assignments === 'nothing') return 'nothing';
        const conversationIds = assignments.map((assignment) => assignment.conversationId);
        const outboxEntryIds = await this.appendChange(sql, tenantId, {
          conversationIds,
          wakeDispatcher: false,
          firstResponseChecks:
            timeoutSeconds === null
              ? []
              : assignments.map(({ conversationId, assignedAt }) => ({
                  conversationId,
                  assignedAt: assignedAt.toISOString(),
                  dueAt: new Date(assignedAt.getTime() + timeoutSeconds * 1000).toISOString(),
                })),
        });
        return { conversationIds, outboxEntryIds };
      });
      if (batch === 'nothing') break;
      publications.add(() => this.hooks.dispatchCommitted(batch.outboxEntryIds));
      assigned.push(...batch.conversationIds);
    }
    // More may wait: a fresh job goes on.
    if (assigned.length >= MAX_ASSIGNMENTS_PER_PASS) await this.hooks.wakeDispatcher(tenantId);
    await publications.settled();
    return assigned;
  }

  /**
   * The first-response timeout fired: if the operator the dispatcher chose still holds the
   * chat from that same assignment and has not written to the visitor since, the chat goes
   * back to the queue, and the dispatcher gives it to someone else.
   */
  async expireFirstResponse(conversationId: string, assignedAt: string): Promise<boolean> {
    const expired = await this.transaction(async (sql) => {
      const [conversation] = await sql.acrossTenants<{ tenant_id: string; operator_id: string }>(
        `select c.tenant_id, c.operator_id from conversation c
         where c.id = ? and c.status = 'assigned' and c.assigned_at = ?
           and not exists (select 1 from message m where m.conversation_id = c.id
             and m.direction = 'out' and m.source = 'operator' and m.occurred_at >= c.assigned_at)
         for update of c`,
        [conversationId, new Date(assignedAt)],
      );
      if (!conversation) return null;
      await sql.acrossTenants(
        `update conversation set status = 'queued', operator_id = null, last_operator_id = null,
           timed_out_operator_id = ?, queued_at = ?, assigned_at = null, updated_at = ?
         where id = ?`,
        [conversation.operator_id, this.clock(), this.clock(), conversationId],
      );
      await this.record(sql, conversation.tenant_id, conversationId, {
        type: 'requeued',
        reason: 'first_response_timeout',
        operatorId: conversation.operator_id,
      });
      return this.appendChange(sql, conversation.tenant_id, {
        conversationIds: [conversationId],
        wakeDispatcher: true,
        firstResponseChecks: [],
      });
    });
    if (!expired) return false;
    await this.hooks.dispatchCommitted(expired);
    return true;
  }

  /** An operator takes a waiting conversation (online or away: away only stops automatic chats). */
  async take(actor: Actor, conversationId: string): Promise<void> {
    const outboxEntryIds = await this.transaction(async (sql) => {
      const conversation = await this.lockVisible(sql, actor, conversationId);
      if (conversation.status === 'assigned') {
        throw new ConflictError(
          'ALREADY_ASSIGNED',
          conversation.operator_id === actor.userId
            ? 'This chat is already yours.'
            : 'Someone else took this chat a moment ago.',
        );
      }
      if (conversation.status === 'closed') throw conversationClosed();
      await this.lockWithCapacity(sql, actor.tenantId, actor.userId, 'yourself');
      await this.assign(sql, actor.tenantId, conversation.id, actor.userId, {
        type: 'taken',
        reason: 'manual',
        actorId: actor.userId,
      });
      return this.appendChange(sql, actor.tenantId, {
        conversationIds: [conversation.id],
        wakeDispatcher: false,
        firstResponseChecks: [],
      });
    });
    await this.hooks.dispatchCommitted(outboxEntryIds);
  }

  /**
   * Hands a conversation to another operator (who must be working and have room) or back to a
   * department's queue. Its holder or an admin may do it; a waiting one, anyone who sees it.
   */
  async transfer(actor: Actor, conversationId: string, target: TransferTarget): Promise<void> {
    const outboxEntryIds = await this.transaction(async (sql) => {
      const conversation = await this.lockVisible(sql, actor, conversationId);
      assertMayHandle(actor, conversation);
      if ('operatorId' in target) {
        if (target.operatorId === conversation.operator_id)
          throw new ConflictError('ALREADY_ASSIGNED', 'This operator already holds this chat.');
        await this.lockWithCapacity(sql, actor.tenantId, target.operatorId, 'them');
        await this.assign(sql, actor.tenantId, conversation.id, target.operatorId, {
          type: 'transferred',
          reason: 'transfer',
          actorId: actor.userId,
        });
      } else {
        const [department] = isUuid(target.departmentId)
          ? await sql.acrossTenants<{ id: string }>(
              'select id from department where id = ? and tenant_id = ?',
              [target.departmentId, actor.tenantId],
            )
          : [];
        if (!department) throw new NotFoundError('The department');
        await sql.acrossTenants(
          `update conversation set status = 'queued', operator_id = null, last_operator_id = null,
             department_id = ?, queued_at = ?, assigned_at = null, updated_at = ? where id = ?`,
          [department.id, this.clock(), this.clock(), conversation.id],
        );
        await this.record(sql, actor.tenantId, conversation.id, {
          type: 'queued',
          reason: 'transfer',
          actorId: actor.userId,
          departmentId: department.id,
        });
      }
      return this.appendChange(sql, actor.tenantId, {
        conversationIds: [conversation.id],
        wakeDispatcher: true,
        firstResponseChecks: [],
      });
    });
    await this.hooks.dispatchCommitted(outboxEntryIds);
  }

  /** Closes a conversation; its operator's slot frees up for the next waiting one. */
  async close(actor: Actor, conversationId: string): Promise<void> {
    const outboxEntryIds = await this.transaction(async (sql) => {
      const conversation = await this.lockVisible(sql, actor, conversationId);
      if (conversation.status === 'closed') return []; // closed already: nothing follows
      assertMayHandle(actor, conversation);
      await sql.acrossTenants(
        `update conversation set status = 'closed', closed_at = ?, updated_at = ? where id = ?`,
        [this.clock(), this.clock(), conversation.id],
      );
      await this.record(sql, actor.tenantId, conversation.id, {
        type: 'closed',
        reason: 'manual',
        actorId: actor.userId,
        operatorId: conversation.operator_id,
      });
      return this.appendChange(sql, actor.tenantId, {
        conversationIds: [conversation.id],
        wakeDispatcher: true,
        firstResponseChecks: [],
      });
    });
    await this.hooks.dispatchCommitted(outboxEntryIds);
  }

  /**
   * Puts every conversation an operator holds back into the queue. They wait from now, and
   * among themselves the oldest conversation is first.
   */
  async requeueHeldBy(
    tenantId: string,
    operatorId: string,
    reason: Extract<ConversationEventReason, 'operator_offline' | 'connection_lost'>,
  ): Promise<string[]> {
    const requeued = await this.transaction(async (sql) => {
      const rows = await sql.acrossTenants<{ id: string }>(
        `update conversation set status = 'queued', operator_id = null, last_operator_id = null,
           queued_at = ?, assigned_at = null, updated_at = ?
         where id in (select id from conversation where tenant_id = ? and operator_id = ?
           and status = 'assigned' order by queued_at, id for update)
         returning id`,
        [this.clock(), this.clock(), tenantId, operatorId],
      );
      for (const { id } of rows) {
        await this.record(sql, tenantId, id, { type: 'requeued', reason, operatorId });
      }
      const conversationIds = rows.map((row) => row.id);
      const outboxEntryIds =
        conversationIds.length === 0
          ? []
          : await this.appendChange(sql, tenantId, {
              conversationIds,
              wakeDispatcher: true,
              firstResponseChecks: [],
            });
      return { conversationIds, outboxEntryIds };
    });
    await this.hooks.dispatchCommitted(requeued.outboxEntryIds);
    return requeued.conversationIds;
  }

  /** The conversation's queue history, oldest first (the caller checked it may be seen). */
  async history(conversationId: string): Promise<ConversationEventDto[]> {
    const events = await this.em.find(
      ConversationEvent,
      { conversation: conversationId },
      { orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] },
    );
    return events.map(toConversationEventDto);
  }

  /** One assignment in its own transaction: the conversation id, or why there was none. */
  private async firstResponseTimeoutSeconds(tenantId: string): Promise<number | null> {
    const [tenant] = await this.em
      .getConnection()
      .execute<{ seconds: number | null }[]>(
        'select first_response_timeout_seconds as seconds from tenant where id = ?',
        [tenantId],
      );
    return tenant?.seconds ?? null;
  }

  /**
   * One pass in one transaction: lock the online operators nobody else is assigning to,
   * count their load after the lock (so every earlier assignment is seen), lock the oldest
   * waiting chats they could serve, plan who gets what, and write it all in four statements.
   * Rows other dispatchers or takes hold are skipped, never waited for.
   */
  private async assignBatch(
    sql: Sql,
    tenantId: string,
  ): Promise<{ conversationId: string; assignedAt: Date }[] | 'nothing'> {
    const locked = await sql.acrossTenants<{ id: string }>(
      `select id from app_user where tenant_id = ? and status = 'online'
       order by id for update skip locked`,
      [tenantId],
    );
    if (locked.length === 0) return 'nothing';
    const rows = await sql.acrossTenants<{
      id: string;
      load: string;
      capacity: number;
      last_assigned_at: Date | string | null;
      department_ids: string[];
    }>(
      `select u.id, coalesce(u.max_chats, t.default_max_chats) as capacity, u.last_assigned_at,
         (select count(*) from conversation c where c.operator_id = u.id and c.status = 'assigned') as load,
         array(select ud.department_id from user_department ud where ud.user_id = u.id) as department_ids
       from app_user u join tenant t on t.id = u.tenant_id
       where u.id = any(?::uuid[]) and u.status = 'online'`,
      [pgArray(locked.map((row) => row.id))],
    );
    const operators: CandidateOperator[] = rows
      .map((row) => ({
        id: row.id,
        load: Number(row.load),
        capacity: row.capacity,
        lastAssigned: row.last_assigned_at ? new Date(row.last_assigned_at).getTime() : null,
        departmentIds: new Set(row.department_ids),
      }))
      .filter((operator) => operator.load < operator.capacity);
    if (operators.length === 0) return 'nothing';

    // Only chats someone here can serve, so a department nobody serves blocks no one else.
    const departments = [...new Set(operators.flatMap((operator) => [...operator.departmentIds]))];
    const waiting = await sql.acrossTenants<{
      id: string;
      department_id: string | null;
      last_operator_id: string | null;
      timed_out_operator_id: string | null;
    }>(
      `select c.id, c.department_id, c.last_operator_id, c.timed_out_operator_id
       from conversation c join facebook_page p on p.id = c.page_id and p.active
       where c.tenant_id = ? and c.status = 'queued'
         and (c.department_id is null or c.department_id = any(?::uuid[]))
       order by c.queued_at, c.id
       limit ?
       for update of c skip locked`,
      [tenantId, pgArray(departments), BATCH_SIZE],
    );
    const plan = planAssignments(
      waiting.map((chat) => ({
        id: chat.id,
        departmentId: chat.department_id,
        lastOperatorId: chat.last_operator_id,
        timedOutOperatorId: chat.timed_out_operator_id,
      })),
      operators,
    );
    if (plan.length === 0) return 'nothing';

    const now = this.clock();
    const conversationIds = pgArray(plan.map((step) => step.conversationId));
    const operatorIds = pgArray(plan.map((step) => step.operatorId));
    await sql.acrossTenants(
      `update conversation c set status = 'assigned', operator_id = v.operator_id,
         last_operator_id = v.operator_id, timed_out_operator_id = null, assigned_at = ?,
         updated_at = ?
       from unnest(?::uuid[], ?::uuid[]) as v(id, operator_id) where c.id = v.id`,
      [now, now, conversationIds, operatorIds],
    );
    // Microseconds apart in plan order, so the next pass sees who was idle longest.
    await sql.acrossTenants(
      `update app_user u set last_assigned_at = ?::timestamptz + v.step * interval '1 microsecond'
       from (select operator_id, max(step) as step
             from unnest(?::uuid[]) with ordinality as p(operator_id, step) group by operator_id) v
       where u.id = v.operator_id`,
      [now, operatorIds],
    );
    await sql.acrossTenants(
      `insert into conversation_event (id, tenant_id, conversation_id, type, reason, occurred_at,
         operator_id, operator_name, department_id)
       select gen_random_uuid(), ?, v.id, 'assigned', v.reason, ?, v.operator_id, u.name, c.department_id
       from unnest(?::uuid[], ?::uuid[], ?::text[]) as v(id, operator_id, reason)
       join app_user u on u.id = v.operator_id join conversation c on c.id = v.id`,
      [
        tenantId,
        now,
        conversationIds,
        operatorIds,
        pgArray(plan.map((step) => (step.toPrevious ? 'previous_operator' : 'automatic'))),
      ],
    );
    return plan.map((step) => ({ conversationId: step.conversationId, assignedAt: now }));
  }

  private async assign(
    sql: Sql,
    tenantId: string,
    conversationId: string,
    operatorId: string,
    event: { type: ConversationEventType; reason: ConversationEventReason; actorId?: string },
  ): Promise<Date> {
    const now = this.clock();
    await sql.acrossTenants(
      `update conversation set status = 'assigned', operator_id = ?, last_operator_id = ?,
         timed_out_operator_id = null, assigned_at = ?, updated_at = ? where id = ?`,
      [operatorId, operatorId, now, now, conversationId],
    );
    await sql.acrossTenants('update app_user set last_assigned_at = ? where id = ?', [
      now,
      operatorId,
    ]);
    await this.record(sql, tenantId, conversationId, { ...event, operatorId });
    return now;
  }

  /** Locks a conversation the actor may see (their departments, none, or theirs; admins all). */
  private async lockVisible(
    sql: Sql,
    actor: Actor,
    conversationId: string,
  ): Promise<LockedConversation> {
    if (!isUuid(conversationId)) throw new NotFoundError('The conversation');
    const [conversation] = await sql.acrossTenants<LockedConversation>(
      `select c.id, c.status, c.operator_id, c.department_id from conversation c
       where c.id = ? and c.tenant_id = ?
         and (? or c.department_id is null or c.operator_id = ?
           or exists (select 1 from user_department ud
                      where ud.user_id = ? and ud.department_id = c.department_id))
       for update of c`,
      [conversationId, actor.tenantId, actor.role === 'admin', actor.userId, actor.userId],
    );
    if (!conversation) throw new NotFoundError('The conversation');
    return conversation;
  }

  /** Locks an operator who receives a chat by hand, refusing when they cannot take it. */
  private async lockWithCapacity(
    sql: Sql,
    tenantId: string,
    operatorId: string,
    who: 'yourself' | 'them',
  ): Promise<void> {
    if (!isUuid(operatorId)) throw new NotFoundError('The operator');
    const [operator] = await sql.acrossTenants<{ status: string }>(
      'select status from app_user where id = ? and tenant_id = ? for update',
      [operatorId, tenantId],
    );
    if (!operator) throw new NotFoundError('The operator');
    if (operator.status === 'offline') {
      throw new ConflictError(
        'OPERATOR_OFFLINE',
        who === 'yourself'
          ? 'You are offline. Go online or away to take chats.'
          : 'This operator is offline.',
      );
    }
    if (!(await this.hasRoom(sql, operatorId))) {
      throw new ConflictError(
        'AT_CAPACITY',
        who === 'yourself'
          ? 'You already have as many chats as you can hold. Close one first.'
          : 'This operator already has as many chats as they can hold.',
      );
    }
  }

  private async hasRoom(sql: Sql, operatorId: string): Promise<boolean> {
    const [row] = await sql.acrossTenants<{ has_room: boolean }>(
      `select (select count(*) from conversation held
               where held.operator_id = u.id and held.status = 'assigned')
              < coalesce(u.max_chats, t.default_max_chats) as has_room
       from app_user u join tenant t on t.id = u.tenant_id
       where u.id = ?`,
      [operatorId],
    );
    return row?.has_room === true;
  }

  private async record(
    sql: Sql,
    tenantId: string,
    conversationId: string,
    event: {
      type: ConversationEventType;
      reason: ConversationEventReason;
      actorId?: string;
      operatorId?: string | null;
      departmentId?: string;
    },
  ): Promise<void> {
    const actorId = event.actorId ?? null;
    const operatorId = event.operatorId ?? null;
    await sql.acrossTenants(
      `insert into conversation_event (id, tenant_id, conversation_id, type, reason, occurred_at,
         actor_id, actor_name, operator_id, operator_name, department_id)
       values (?, ?, ?, ?, ?, ?, ?, (select name from app_user where id = ?), ?,
         (select name from app_user where id = ?),
         coalesce(?, (select department_id from conversation where id = ?)))`,
      [
        uuidv7(),
        tenantId,
        conversationId,
        event.type,
        event.reason,
        this.clock(),
        actorId,
        actorId,
        operatorId,
        operatorId,
        event.departmentId ?? null,
        conversationId,
      ],
    );
  }

  /** Writes what a move must cause, in its transaction (see RoutingFollowUps). */
  private appendChange(
    sql: Sql,
    tenantId: string,
    change: RoutingChangedPayload,
  ): Promise<string[]> {
    return appendToOutbox(sql, [{ tenantId, kind: 'routing-changed', payload: change }]);
  }

  private transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return sqlTransaction(this.em, work);
  }
}

/**
 * Work run one after another in the background; `settled()` waits for all of it and then
 * throws the first failure, if any (a failed step does not stop the following ones).
 */
class PublicationChain {
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;

  add(step: () => Promise<void>): void {
    this.tail = this.tail.then(step).catch((error: unknown) => {
      this.failure ??= { error };
    });
  }

  async settled(): Promise<void> {
    await this.tail;
    if (this.failure) throw this.failure.error;
  }
}

function assertMayHandle(actor: Actor, conversation: LockedConversation): void {
  if (conversation.status === 'closed') throw conversationClosed();
  if (
    conversation.status === 'assigned' &&
    actor.role !== 'admin' &&
    conversation.operator_id !== actor.userId
  ) {
    throw new ForbiddenError('Only the operator holding this chat or an admin can do this.');
  }
}

function conversationClosed(): ConflictError {
  return new ConflictError(
    'CONVERSATION_CLOSED',
    'This chat is closed. It reopens when the visitor writes again.',
  );
}
