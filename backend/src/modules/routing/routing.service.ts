import type { EntityManager } from '@mikro-orm/postgresql';
import { validate as isUuid } from 'uuid';
import { sqlIn, sqlTransaction, type Sql } from '../../db/sql.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import { appendToOutbox, csatRequested } from '../../outbox/outbox.js';
import { appendThreadsReturned } from './threads-returned.js';
import type { RoutingChangedPayload } from '../../outbox/outbox-map.js';
import { recordSteering } from '../audit/audit-recorder.js';
import { assertUser, type Actor } from '../auth/actor.js';
import {
  ConversationEvent,
  type ConversationEventReason,
} from '../conversations/conversation-event.entity.js';
import { ConversationStore, type LockedConversation } from '../conversations/conversation-store.js';
import { writeNote } from '../notes/notes.service.js';
import { assertReplyWindowOpen } from '../conversations/reply-window.js';
import { planAssignments, type CandidateOperator } from './assignment-plan.js';
import { PublicationChain } from './publication-chain.js';
import { RoutingRepository } from './routing.repository.js';
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

/** Steering: who gets the conversation, and whether their capacity may be exceeded. */
export type AssignTarget = { operatorId: string; force?: boolean };

export type TransferTarget = ({ operatorId: string } | { departmentId: string }) & {
  /** For whoever gets the chat: a note written with the transfer (writeNote). */
  note?: string;
};

/** One dispatch job assigns at most about this many before it hands over to a fresh job. */
const MAX_ASSIGNMENTS_PER_PASS = 500;
/** Chats planned in one transaction. */
const BATCH_SIZE = 100;

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
          assignedConversationIds: conversationIds,
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
      const conversations = new ConversationStore(sql, this.clock);
      const held = await conversations.lockUnansweredAssignment(
        conversationId,
        new Date(assignedAt),
      );
      if (!held) return null;
      await conversations.requeue(
        held.tenantId,
        { ids: [conversationId] },
        {
          type: 'requeued',
          reason: 'first_response_timeout',
          operatorId: held.operatorId,
          timedOutOperatorId: held.operatorId,
        },
      );
      return this.appendChange(sql, held.tenantId, {
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
    assertUser(actor);
    const outboxEntryIds = await this.transaction(async (sql) => {
      const conversations = new ConversationStore(sql, this.clock);
      const conversation = await conversations.lockVisible(actor, conversationId);
      if (conversation.status === 'assigned') {
        throw new ConflictError(
          'ALREADY_ASSIGNED',
          conversation.operatorId === actor.userId
            ? 'This chat is already yours.'
            : 'Someone else took this chat a moment ago.',
        );
      }
      if (conversation.status === 'closed') throw conversationClosed();
      await this.assignByHand(sql, actor, conversation.id, actor.userId, 'taken');
      return this.appendChange(sql, actor.tenantId, {
        conversationIds: [conversation.id],
        assignedConversationIds: [conversation.id],
        wakeDispatcher: false,
        firstResponseChecks: [],
      });
    });
    await this.hooks.dispatchCommitted(outboxEntryIds);
  }

  /**
   * Follow-up: an operator takes a closed conversation back to write to the visitor again.
   * It becomes theirs as a take would (working, with room), and only while Messenger still
   * lets a reply through (the human-agent week where the page has it).
   */
  async reopen(actor: Actor, conversationId: string): Promise<void> {
    assertUser(actor);
    const outboxEntryIds = await this.transaction(async (sql) => {
      const conversations = new ConversationStore(sql, this.clock);
      const conversation = await conversations.lockVisible(actor, conversationId);
      if (conversation.status !== 'closed') throw conversationNotClosed(conversation.status);
      const context = await conversations.followUpContext(actor.tenantId, conversation.id);
      if (context.hasOtherOpenConversation) {
        throw new ConflictError(
          'VISITOR_HAS_OPEN_CONVERSATION',
          'The visitor wrote again and has a newer chat. Open that one instead.',
        );
      }
      assertReplyWindowOpen(context.lastInboundAt, context.isHumanAgentEnabled, this.clock());
      await this.assignByHand(sql, actor, conversation.id, actor.userId, 'reopened');
      return this.appendChange(sql, actor.tenantId, {
        conversationIds: [conversation.id],
        assignedConversationIds: [conversation.id],
        wakeDispatcher: false,
        firstResponseChecks: [],
      });
    });
    await this.hooks.dispatchCommitted(outboxEntryIds);
  }

  /**
   * Hands a conversation to another operator (who must be working and have room) or back to a
   * department's queue. Its holder or an admin may do it; a waiting one, anyone who sees it.
   * A note goes with it in the same transaction, written after the move: it is the newest
   * message the receiver finds, and mentions are checked against who sees the chat now.
   */
  async transfer(actor: Actor, conversationId: string, target: TransferTarget): Promise<void> {
    if (target.note !== undefined) assertUser(actor); // a note is signed by its author
    const outboxEntryIds = await this.transaction(async (sql) => {
      const conversations = new ConversationStore(sql, this.clock);
      const conversation = await conversations.lockVisible(actor, conversationId);
      assertMayHandle(actor, conversation);
      if ('operatorId' in target) {
        if (target.operatorId === conversation.operatorId)
          throw new ConflictError('ALREADY_ASSIGNED', 'This operator already holds this chat.');
        await this.assignByHand(sql, actor, conversation.id, target.operatorId, 'transferred');
      } else {
        const department = isUuid(target.departmentId)
          ? await new RoutingRepository(sql).findDepartment(actor.tenantId, target.departmentId)
          : null;
        if (!department) throw new NotFoundError('The department');
        await conversations.requeue(
          actor.tenantId,
          { ids: [conversation.id] },
          { type: 'queued', reason: 'transfer', actorId: actor.userId, departmentId: department },
        );
      }
      // Handing on one's own chat is work; moving someone else's (or a waiting one) steers.
      if (conversation.operatorId !== actor.userId) {
        await recordSteering(sql, actor, {
          action: 'conversation.transferred',
          conversationId: conversation.id,
          from: conversation,
          to: target,
        });
      }
      const moved = await this.appendChange(sql, actor.tenantId, {
        conversationIds: [conversation.id],
        ...('operatorId' in target ? { assignedConversationIds: [conversation.id] } : {}),
        wakeDispatcher: true,
        firstResponseChecks: [],
      });
      if (target.note === undefined) return moved;
      assertUser(actor);
      const note = await writeNote(
        sql,
        actor,
        conversation.id,
        { text: target.note },
        this.clock(),
      );
      return [...moved, ...note.outboxEntryIds];
    });
    await this.hooks.dispatchCommitted(outboxEntryIds);
  }

  /**
   * Steering: an admin, or a supervisor for the conversations of their departments, gives a
   * waiting or held conversation to an operator who works its department; "take over" is
   * giving it to oneself. Capacity applies unless `force` (for oneself too: a supervisor who
   * takes over a stuck chat decides that their own limit may bend). Nobody offline gets one:
   * they would not see it arrive, and the offline sweep would put it back in the queue.
   */
  async assign(actor: Actor, conversationId: string, target: AssignTarget): Promise<void> {
    const outboxEntryIds = await this.transaction(async (sql) => {
      const conversations = new ConversationStore(sql, this.clock);
      const conversation = await conversations.lockVisible(actor, conversationId);
      if (!conversation.isSteerable) {
        throw new ForbiddenError(
          "Only an admin, or a supervisor of this chat's department, can assign it.",
        );
      }
      if (conversation.status === 'closed') throw conversationClosed();
      if (conversation.operatorId === target.operatorId) {
        throw new ConflictError('ALREADY_ASSIGNED', 'This operator already holds this chat.');
      }
      const isTakeOver = target.operatorId === actor.userId;
      await this.assignByHand(
        sql,
        actor,
        conversation.id,
        target.operatorId,
        isTakeOver ? 'taken' : 'transferred',
        { force: target.force ?? false, departmentId: conversation.departmentId },
      );
      await recordSteering(sql, actor, {
        action: isTakeOver ? 'conversation.taken_over' : 'conversation.assigned',
        conversationId: conversation.id,
        from: conversation,
        to: { operatorId: target.operatorId },
      });
      return this.appendChange(sql, actor.tenantId, {
        conversationIds: [conversation.id],
        assignedConversationIds: [conversation.id],
        // A held chat that moves frees its former holder's slot.
        wakeDispatcher: conversation.status === 'assigned',
        firstResponseChecks: [],
      });
    });
    await this.hooks.dispatchCommitted(outboxEntryIds);
  }

  /** Closes a conversation; its operator's slot frees up for the next waiting one. */
  async close(actor: Actor, conversationId: string): Promise<void> {
    const outboxEntryIds = await this.transaction(async (sql) => {
      const conversations = new ConversationStore(sql, this.clock);
      const conversation = await conversations.lockVisible(actor, conversationId);
      if (conversation.status === 'closed') return []; // closed already: nothing follows
      assertMayHandle(actor, conversation);
      await conversations.close(actor.tenantId, conversation.id, {
        type: 'closed',
        reason: 'manual',
        actorId: actor.userId,
        operatorId: conversation.operatorId,
      });
      if (conversation.operatorId !== actor.userId) {
        await recordSteering(sql, actor, {
          action: 'conversation.closed',
          conversationId: conversation.id,
          from: conversation,
          to: 'closed',
        });
      }
      return [
        ...(await this.appendChange(sql, actor.tenantId, {
          conversationIds: [conversation.id],
          closedConversationIds: [conversation.id],
          wakeDispatcher: true,
          firstResponseChecks: [],
        })),
        ...(await this.csatRequestedIfEnabled(sql, actor.tenantId, [conversation.id])),
        ...(await appendThreadsReturned(sql, actor.tenantId, [conversation.id])),
      ];
    });
    await this.hooks.dispatchCommitted(outboxEntryIds);
  }

  /** The closed conversations' surveys, asked for in the close's transaction when wanted. */
  private async csatRequestedIfEnabled(
    sql: Sql,
    tenantId: string,
    conversationIds: string[],
  ): Promise<string[]> {
    if (!(await new RoutingRepository(sql).isCsatEnabled(tenantId))) return [];
    return appendToOutbox(sql, [csatRequested(tenantId, conversationIds)]);
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
      const conversationIds = await new ConversationStore(sql, this.clock).requeue(
        tenantId,
        { heldBy: operatorId },
        { type: 'requeued', reason, operatorId },
      );
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

  private firstResponseTimeoutSeconds(tenantId: string): Promise<number | null> {
    return new RoutingRepository(sqlIn(this.em)).firstResponseTimeoutSeconds(tenantId);
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
    const repository = new RoutingRepository(sql);
    const locked = await repository.lockOnlineOperators(tenantId);
    if (locked.length === 0) return 'nothing';
    const operators: CandidateOperator[] = (await repository.operatorLoads(tenantId, locked))
      .filter((operator) => operator.status === 'online' && operator.load < operator.capacity)
      .map((operator) => ({
        id: operator.id,
        load: operator.load,
        capacity: operator.capacity,
        lastAssigned: operator.lastAssignedAt?.getTime() ?? null,
        departmentIds: new Set(operator.departmentIds),
      }));
    if (operators.length === 0) return 'nothing';

    // Only chats someone here can serve, so a department nobody serves blocks no one else.
    const departments = [...new Set(operators.flatMap((operator) => [...operator.departmentIds]))];
    const conversations = new ConversationStore(sql, this.clock);
    const waiting = await conversations.lockWaiting(tenantId, departments, BATCH_SIZE);
    const plan = planAssignments(waiting, operators);
    if (plan.length === 0) return 'nothing';

    const assignedAt = await conversations.assign(
      tenantId,
      plan.map((step) => ({
        conversationId: step.conversationId,
        operatorId: step.operatorId,
        reason: step.toPrevious ? 'previous_operator' : 'automatic',
      })),
      { type: 'assigned' },
    );
    await repository.markAssigned(
      tenantId,
      plan.map((step) => step.operatorId),
      assignedAt,
    );
    return plan.map((step) => ({ conversationId: step.conversationId, assignedAt }));
  }

  /**
   * Gives a locked conversation to an operator by hand, refusing when they cannot take it.
   * `steering` (POST …/assign) also requires the operator to work the conversation's
   * department, may lift the capacity limit, and logs the move as 'steered'.
   */
  private async assignByHand(
    sql: Sql,
    actor: Actor,
    conversationId: string,
    operatorId: string,
    type: 'taken' | 'transferred' | 'reopened',
    steering?: { force: boolean; departmentId: string | null },
  ): Promise<void> {
    const who = operatorId === actor.userId ? 'yourself' : 'them';
    const operators = new RoutingRepository(sql);
    const operator = isUuid(operatorId)
      ? await operators.lockOperator(actor.tenantId, operatorId)
      : null;
    if (!operator) throw new NotFoundError('The operator');
    if (operator.status === 'offline') {
      throw new ConflictError(
        'OPERATOR_OFFLINE',
        who === 'yourself'
          ? 'You are offline. Go online or away to take chats.'
          : 'This operator is offline.',
      );
    }
    const [load] = await operators.operatorLoads(actor.tenantId, [operatorId]);
    if (!load) throw new NotFoundError('The operator');
    if (
      steering &&
      steering.departmentId !== null &&
      operator.role !== 'admin' &&
      !load.departmentIds.includes(steering.departmentId)
    ) {
      throw new ConflictError(
        'NOT_IN_DEPARTMENT',
        "This operator does not work this chat's department. Add them to it first.",
      );
    }
    if (load.load >= load.capacity && !steering?.force) {
      throw new ConflictError(
        'AT_CAPACITY',
        who === 'yourself'
          ? 'You already have as many chats as you can hold. Close one first.'
          : 'This operator already has as many chats as they can hold.',
      );
    }
    const assignedAt = await new ConversationStore(sql, this.clock).assign(
      actor.tenantId,
      [
        {
          conversationId,
          operatorId,
          reason: steering ? 'steered' : HAND_ASSIGNMENT_REASONS[type],
        },
      ],
      { type, actorId: actor.userId },
    );
    await operators.markAssigned(actor.tenantId, [operatorId], assignedAt);
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

/** Why a conversation was given by hand, for the event log. */
const HAND_ASSIGNMENT_REASONS = {
  taken: 'manual',
  transferred: 'transfer',
  reopened: 'follow_up',
} as const satisfies Record<string, ConversationEventReason>;

function assertMayHandle(actor: Actor, conversation: LockedConversation): void {
  if (conversation.status === 'closed') throw conversationClosed();
  if (
    conversation.status === 'assigned' &&
    !conversation.isSteerable &&
    conversation.operatorId !== actor.userId
  ) {
    throw new ForbiddenError(
      'Only the operator holding this chat, an admin or its supervisor can do this.',
    );
  }
}

function conversationClosed(): ConflictError {
  return new ConflictError(
    'CONVERSATION_CLOSED',
    'This chat is closed. It reopens when the visitor writes again.',
  );
}

function conversationNotClosed(status: LockedConversation['status']): ConflictError {
  return new ConflictError(
    'CONVERSATION_NOT_CLOSED',
    status === 'queued'
      ? 'This chat is waiting in the queue again (the visitor wrote). Take it instead.'
      : 'This chat is open already.',
  );
}
