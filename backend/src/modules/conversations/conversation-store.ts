import { v7 as uuidv7, validate as isUuid } from 'uuid';
import { pgArray, pgRecords, type Sql } from '../../db/sql.js';
import { NotFoundError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import type {
  ConversationEventReason,
  ConversationEventType,
} from './conversation-event.entity.js';
import type { ConversationStatus, ThreadControl } from './conversation.entity.js';
import { isVisibleTo, maySteer } from './conversation-visibility.js';

/** A contact's latest conversation, locked. */
export type LatestConversation = {
  id: string;
  contactId: string;
  status: ConversationStatus;
  /** Whether its latest satisfaction survey awaits the visitor's rating. */
  awaitsCsat: boolean;
  /** Choosing its department: whether the visitor was already reminded once. */
  isDepartmentMenuReminded: boolean;
};

/** A visitor's rating of a conversation's latest survey. */
export type CsatAnswer = { id: string; score: number; answeredAt: Date };

/**
 * A conversation the first line of a new visitor thread opens: it waits in the queue, or for
 * the visitor's choice of a department (`isChoosingDepartment`, with no `queuedAt`).
 */
export type NewConversation = {
  id: string;
  tenantId: string;
  contactId: string;
  pageRowId: string;
  departmentId: string | null;
  /**
   * Since when it waits in the queue; null: it starts closed (a thread the page's own people
   * began from Facebook's inbox is recorded, but nobody in Omni is asked to answer it).
   */
  queuedAt: Date | null;
  isChoosingDepartment: boolean;
  lastMessageAt: Date;
  unreadCount: number;
};

/**
 * New lines of an existing conversation. `queueAt`: it goes into the queue of `departmentId`
 * (it was closed and reopens, or it leaves the department menu); `departmentMenuRemindedAt`:
 * the visitor was just reminded to choose.
 */
export type ConversationLines = {
  id: string;
  queueAt: Date | null;
  departmentId: string | null;
  departmentMenuRemindedAt: Date | null;
  lastMessageAt: Date;
  unreadCount: number;
};

/** Which app controls a conversation's thread now (handover), and whom to pass it back to. */
export type ThreadControlChange = {
  id: string;
  threadControl: ThreadControl;
  /** null keeps the app known before. */
  returnAppId: string | null;
};

/** The log's line of a conversation that started waiting because the visitor wrote. */
export type QueuedEvent = {
  id: string;
  tenantId: string;
  conversationId: string;
  /** 'thread_passed': the page's primary app (a bot) passed the thread to Omni. */
  reason: Extract<
    ConversationEventReason,
    | 'new_conversation'
    | 'visitor_wrote'
    | 'department_chosen'
    | 'department_menu_skipped'
    | 'thread_passed'
  >;
  occurredAt: Date;
  departmentId: string | null;
};

/** What the queue knows of one conversation, read under its row lock. */
export type LockedConversation = {
  id: string;
  status: ConversationStatus;
  operatorId: string | null;
  departmentId: string | null;
  /** The locker may steer it (conversation-visibility.ts `maySteer`). */
  isSteerable: boolean;
};

/** A line of the log for a move in the queue; names are looked up as they are now. */
export type ConversationMove = {
  type: ConversationEventType;
  reason: ConversationEventReason;
  actorId?: string;
  /** The operator concerned (who received it, or who held it). */
  operatorId?: string | null;
  /** Where it went; else the conversation's department as it is after the move. */
  departmentId?: string;
};

/** What a follow-up of a closed conversation depends on, read after it was locked. */
export type FollowUpContext = {
  /** The visitor's last window-opening action (their contact's). */
  lastInboundAt: Date | null;
  isHumanAgentEnabled: boolean;
  /** The visitor wrote again meanwhile and has a newer conversation that is not closed. */
  hasOtherOpenConversation: boolean;
};

/** A conversation closed by itself after its visitor's silence. */
export type IdleClosed = { id: string; operatorId: string | null };

/**
 * The silence that closes an assigned conversation by itself: nothing from the visitor for
 * the tenant's `auto_close_after_minutes`, counted from the later of their last message
 * (as received: a late delivery counts from its arrival) and the assignment (a chat just
 * taken or followed up on is not closed at once for an old silence). `?` is the time now.
 */
const IDLE_SINCE_CUTOFF = `
  c.status = 'assigned' and t.auto_close_after_minutes is not null
  and c.assigned_at < ?::timestamptz - make_interval(mins => t.auto_close_after_minutes)
  and not exists (select 1 from message m where m.conversation_id = c.id
    and m.direction = 'in' and m.source = 'visitor'
    and greatest(m.occurred_at, m.created_at)
      >= ?::timestamptz - make_interval(mins => t.auto_close_after_minutes))`;

/** One conversation given to one operator. */
export type Assignment = {
  conversationId: string;
  operatorId: string;
  reason: ConversationEventReason;
};

/**
 * Every write to conversations and their event log, and the reads that lock them: the
 * visitor's lines create and reopen them (a batch of the inbound worker, each row carrying its
 * tenant), the queue assigns, requeues, transfers and closes them (one tenant's rows). Each
 * method runs in the caller's transaction; a move and its log line go together.
 */
export class ConversationStore {
  constructor(
    private readonly sql: Sql,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Each contact's latest conversation, locked: a colleague closing it meanwhile either
   * commits first (and the visitor's message reopens it) or waits for this batch.
   */
  async lockLatestOfContacts(contactIds: string[]): Promise<LatestConversation[]> {
    if (contactIds.length === 0) return [];
    // Across tenants: the inbound batch's contacts, each found through its tenant's page.
    const rows = await this.sql.acrossTenants<{
      id: string;
      contact_id: string;
      status: ConversationStatus;
      awaits_csat: boolean;
      department_menu_reminded_at: Date | string | null;
    }>(
      `select c.id, c.contact_id, c.status, c.department_menu_reminded_at,
         (c.csat_requested_at is not null
           and (c.csat_answered_at is null or c.csat_answered_at < c.csat_requested_at))
           as awaits_csat
       from conversation c
       where c.id in (
         select distinct on (x.contact_id) x.id from conversation x
         where x.contact_id = any(?::uuid[])
         order by x.contact_id, x.created_at desc)
       order by c.id
       for update`,
      [pgArray(contactIds)],
    );
    return rows.map((row) => ({
      id: row.id,
      contactId: row.contact_id,
      status: row.status,
      awaitsCsat: row.awaits_csat,
      isDepartmentMenuReminded: row.department_menu_reminded_at !== null,
    }));
  }

  /**
   * Stores visitors' ratings on conversations locked by `lockLatestOfContacts`, each only while
   * its latest survey is unanswered (a rating is given once per survey). Nothing else of the
   * conversation changes: a closed one stays closed.
   */
  async recordCsatAnswers(answers: CsatAnswer[]): Promise<void> {
    if (answers.length === 0) return;
    // Across tenants: the inbound batch's conversations, each locked through its contact.
    await this.sql.acrossTenants(
      `update conversation c set csat_score = r.score,
         csat_answered_at = greatest(r.answered_at, c.csat_requested_at),
         updated_at = now()
       from jsonb_to_recordset(?::jsonb) as r(id uuid, score smallint, answered_at timestamptz)
       where c.id = r.id and c.csat_requested_at is not null
         and (c.csat_answered_at is null or c.csat_answered_at < c.csat_requested_at)`,
      [
        pgRecords(
          answers.map((answer) => ({
            id: answer.id,
            score: answer.score,
            answered_at: answer.answeredAt.toISOString(),
          })),
        ),
      ],
    );
  }

  /** New conversations, waiting in the queue or for a choice (each row names its tenant). */
  async create(conversations: NewConversation[]): Promise<void> {
    if (conversations.length === 0) return;
    await this.sql.acrossTenants(
      `insert into conversation (id, tenant_id, contact_id, page_id, department_id, status,
         queued_at, closed_at, last_message_at, unread_count)
       select r.id, r.tenant_id, r.contact_id, r.page_id, r.department_id,
         case when r.is_choosing_department then 'choosing_department'
           when r.queued_at is null then 'closed' else 'queued' end,
         r.queued_at,
         case when r.queued_at is null and not r.is_choosing_department then r.last_message_at end,
         r.last_message_at, r.unread_count
       from jsonb_to_recordset(?::jsonb) as r(id uuid, tenant_id uuid, contact_id uuid,
         page_id uuid, department_id uuid, queued_at timestamptz,
         is_choosing_department boolean, last_message_at timestamptz, unread_count int)`,
      [
        pgRecords(
          conversations.map((conversation) => ({
            id: conversation.id,
            tenant_id: conversation.tenantId,
            contact_id: conversation.contactId,
            page_id: conversation.pageRowId,
            department_id: conversation.departmentId,
            queued_at: conversation.queuedAt,
            is_choosing_department: conversation.isChoosingDepartment,
            last_message_at: conversation.lastMessageAt,
            unread_count: conversation.unreadCount,
          })),
        ),
      ],
    );
  }

  /**
   * Adds new lines to conversations (locked by `lockLatestOfContacts`). One that goes into
   * the queue (`queueAt`: a closed one reopens, or the visitor chose a department) waits in
   * the queue of `departmentId`, free of its operator (who stays its last operator, offered
   * it first).
   */
  async addLines(conversations: ConversationLines[]): Promise<void> {
    if (conversations.length === 0) return;
    await this.sql.acrossTenants(
      `update conversation c set
         status = case when r.queue_at is null then c.status else 'queued' end,
         queued_at = coalesce(r.queue_at, c.queued_at),
         operator_id = case when r.queue_at is null then c.operator_id end,
         assigned_at = case when r.queue_at is null then c.assigned_at end,
         closed_at = case when r.queue_at is null then c.closed_at end,
         department_id = case when r.queue_at is null then c.department_id else r.department_id end,
         department_menu_reminded_at =
           coalesce(r.department_menu_reminded_at, c.department_menu_reminded_at),
         last_message_at = greatest(c.last_message_at, r.last_message_at),
         unread_count = c.unread_count + r.unread_count,
         updated_at = now()
       from jsonb_to_recordset(?::jsonb) as r(id uuid, queue_at timestamptz, department_id uuid,
         department_menu_reminded_at timestamptz, last_message_at timestamptz, unread_count int)
       where c.id = r.id`,
      [
        pgRecords(
          conversations.map((conversation) => ({
            id: conversation.id,
            queue_at: conversation.queueAt,
            department_id: conversation.departmentId,
            department_menu_reminded_at: conversation.departmentMenuRemindedAt,
            last_message_at: conversation.lastMessageAt,
            unread_count: conversation.unreadCount,
          })),
        ),
      ],
    );
  }

  /** Those of the conversations whose thread Omni controls (handover): passed back on close. */
  async controlledByOmni(tenantId: string, conversationIds: string[]): Promise<string[]> {
    if (conversationIds.length === 0) return [];
    const rows = await this.sql.forTenant(tenantId)<{ id: string }>(
      `select c.id from conversation c join facebook_page p on p.id = c.page_id
       where c.tenant_id = :tenant and c.id = any(?::uuid[]) and c.thread_control = 'omni'
         and p.handover_enabled`,
      [pgArray(conversationIds)],
    );
    return rows.map((row) => row.id);
  }

  /** Records who controls the threads of conversations locked by `lockLatestOfContacts`. */
  async setThreadControl(changes: ThreadControlChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.sql.acrossTenants(
      `update conversation c set thread_control = r.thread_control,
         thread_return_app_id = coalesce(r.return_app_id, c.thread_return_app_id),
         updated_at = now()
       from jsonb_to_recordset(?::jsonb) as r(id uuid, thread_control text, return_app_id text)
       where c.id = r.id`,
      [
        pgRecords(
          changes.map((change) => ({
            id: change.id,
            thread_control: change.threadControl,
            return_app_id: change.returnAppId,
          })),
        ),
      ],
    );
  }

  /** The log's "queued" lines of new and reopened conversations (each row names its tenant). */
  async recordQueued(events: QueuedEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.sql.acrossTenants(
      `insert into conversation_event (id, tenant_id, conversation_id, type, reason,
         occurred_at, department_id)
       select r.id, r.tenant_id, r.conversation_id, 'queued', r.reason, r.occurred_at,
         r.department_id
       from jsonb_to_recordset(?::jsonb) as r(id uuid, tenant_id uuid, conversation_id uuid,
         reason text, occurred_at timestamptz, department_id uuid)`,
      [
        pgRecords(
          events.map((event) => ({
            id: event.id,
            tenant_id: event.tenantId,
            conversation_id: event.conversationId,
            reason: event.reason,
            occurred_at: event.occurredAt,
            department_id: event.departmentId,
          })),
        ),
      ],
    );
  }

  /**
   * Queues a conversation still choosing its department to its page's department (or the
   * shared queue), and logs why; false when it is not choosing any more (the visitor chose,
   * or someone took it, meanwhile: an inbound batch holds its lock while it decides).
   */
  async leaveDepartmentMenu(
    tenantId: string,
    conversationId: string,
    reason: Extract<ConversationEventReason, 'department_menu_skipped'>,
  ): Promise<boolean> {
    const now = this.clock();
    const rows = await this.sql.forTenant(tenantId)<{ id: string }>(
      `update conversation c set status = 'queued', queued_at = ?,
         department_id = p.department_id, updated_at = ?
       from facebook_page p
       where p.id = c.page_id and c.id = ? and c.tenant_id = :tenant
         and c.status = 'choosing_department'
       returning c.id`,
      [now, now, conversationId],
    );
    if (rows.length === 0) return false;
    await this.recordMoves(tenantId, [{ conversationId, move: { type: 'queued', reason } }], now);
    return true;
  }

  /** Locks a conversation the actor may see; any other is not found. */
  async lockVisible(actor: Actor, conversationId: string): Promise<LockedConversation> {
    if (!isUuid(conversationId)) throw new NotFoundError('The conversation');
    const [row] = await this.sql.forTenant(actor.tenantId)<{
      id: string;
      status: ConversationStatus;
      operator_id: string | null;
      department_id: string | null;
      viewer_department_ids: string[];
    }>(
      `select c.id, c.status, c.operator_id, c.department_id,
         array(select ud.department_id from user_department ud where ud.user_id = ?)
           as viewer_department_ids
       from conversation c
       where c.id = ? and c.tenant_id = :tenant
       for update of c`,
      [actor.userId ?? null, conversationId],
    );
    if (!row) throw new NotFoundError('The conversation');
    const located = { operatorId: row.operator_id, departmentId: row.department_id };
    const viewer = { ...actor, departmentIds: row.viewer_department_ids };
    if (!isVisibleTo(viewer, located)) throw new NotFoundError('The conversation');
    const conversation = {
      id: row.id,
      status: row.status,
      ...located,
      isSteerable: maySteer(viewer, located),
    };
    return conversation;
  }

  /**
   * Locks a conversation still held by the operator the dispatcher gave it to at
   * `assignedAt`, who has not written to the visitor since; null when that is over.
   */
  async lockUnansweredAssignment(
    conversationId: string,
    assignedAt: Date,
  ): Promise<{ tenantId: string; operatorId: string } | null> {
    // Across tenants: the job names the conversation alone; its row says whose it is.
    const [row] = await this.sql.acrossTenants<{ tenant_id: string; operator_id: string }>(
      `select c.tenant_id, c.operator_id from conversation c
       where c.id = ? and c.status = 'assigned' and c.assigned_at = ?
         and not exists (select 1 from message m where m.conversation_id = c.id
           and m.direction = 'out' and m.source = 'operator' and m.occurred_at >= c.assigned_at)
       for update of c`,
      [conversationId, assignedAt],
    );
    return row ? { tenantId: row.tenant_id, operatorId: row.operator_id } : null;
  }

  /**
   * The oldest waiting chats of active pages that operators of these departments (or
   * anyone: no department) can serve, locked; rows others hold are skipped, not waited for.
   */
  async lockWaiting(
    tenantId: string,
    departmentIds: string[],
    limit: number,
  ): Promise<
    {
      id: string;
      departmentId: string | null;
      lastOperatorId: string | null;
      timedOutOperatorId: string | null;
    }[]
  > {
    const rows = await this.sql.forTenant(tenantId)<{
      id: string;
      department_id: string | null;
      last_operator_id: string | null;
      timed_out_operator_id: string | null;
    }>(
      `select c.id, c.department_id, c.last_operator_id, c.timed_out_operator_id
       from conversation c join facebook_page p on p.id = c.page_id and p.active
       where c.tenant_id = :tenant and c.status = 'queued'
         and (c.department_id is null or c.department_id = any(?::uuid[]))
       order by c.queued_at, c.id
       limit ?
       for update of c skip locked`,
      [pgArray(departmentIds), limit],
    );
    return rows.map((row) => ({
      id: row.id,
      departmentId: row.department_id,
      lastOperatorId: row.last_operator_id,
      timedOutOperatorId: row.timed_out_operator_id,
    }));
  }

  /**
   * What a follow-up of a locked, closed conversation depends on: the visitor's reply window
   * and whether they already have a newer open conversation (only one may be open).
   */
  async followUpContext(tenantId: string, conversationId: string): Promise<FollowUpContext> {
    const [row] = await this.sql.forTenant(tenantId)<{
      last_inbound_at: Date | string | null;
      human_agent_enabled: boolean;
      has_other_open: boolean;
    }>(
      `select contact.last_inbound_at, p.human_agent_enabled,
         exists (select 1 from conversation o where o.contact_id = c.contact_id
           and o.id <> c.id and o.status <> 'closed') as has_other_open
       from conversation c
       join contact on contact.id = c.contact_id
       join facebook_page p on p.id = c.page_id
       where c.id = ? and c.tenant_id = :tenant`,
      [conversationId],
    );
    if (!row) throw new NotFoundError('The conversation');
    return {
      lastInboundAt: row.last_inbound_at ? new Date(row.last_inbound_at) : null,
      isHumanAgentEnabled: row.human_agent_enabled,
      hasOtherOpenConversation: row.has_other_open,
    };
  }

  /** Gives locked conversations to operators, and logs each; returns when (one time for all). */
  async assign(
    tenantId: string,
    assignments: Assignment[],
    move: { type: ConversationEventType; actorId?: string },
  ): Promise<Date> {
    const now = this.clock();
    await this.sql.forTenant(tenantId)(
      `update conversation c set status = 'assigned', operator_id = v.operator_id,
         last_operator_id = v.operator_id, timed_out_operator_id = null, assigned_at = ?,
         closed_at = null, updated_at = ?
       from unnest(?::uuid[], ?::uuid[]) as v(id, operator_id)
       where c.id = v.id and c.tenant_id = :tenant`,
      [
        now,
        now,
        pgArray(assignments.map((assignment) => assignment.conversationId)),
        pgArray(assignments.map((assignment) => assignment.operatorId)),
      ],
    );
    await this.recordMoves(
      tenantId,
      assignments.map((assignment) => ({
        conversationId: assignment.conversationId,
        move: {
          type: move.type,
          reason: assignment.reason,
          actorId: move.actorId,
          operatorId: assignment.operatorId,
        },
      })),
      now,
    );
    return now;
  }

  /**
   * Puts conversations back into the queue, free of any operator: these ones (locked by the
   * caller), or all that an operator holds. They wait from now; among themselves the oldest
   * conversation stays first. `departmentId` moves them to that department's queue;
   * `timedOutOperatorId` is not offered them again. Returns the conversations requeued.
   */
  async requeue(
    tenantId: string,
    which: { ids: string[] } | { heldBy: string },
    move: ConversationMove & { timedOutOperatorId?: string },
  ): Promise<string[]> {
    const now = this.clock();
    const { condition, value } =
      'ids' in which
        ? { condition: 'id = any(?::uuid[])', value: pgArray(which.ids) }
        : { condition: `operator_id = ?::uuid and status = 'assigned'`, value: which.heldBy };
    const rows = await this.sql.forTenant(tenantId)<{ id: string }>(
      `update conversation set status = 'queued', operator_id = null, last_operator_id = null,
         timed_out_operator_id = coalesce(?::uuid, timed_out_operator_id),
         department_id = coalesce(?::uuid, department_id),
         queued_at = ?, assigned_at = null, updated_at = ?
       where id in (select id from conversation where tenant_id = :tenant and ${condition}
         order by queued_at, id for update)
       returning id`,
      [move.timedOutOperatorId ?? null, move.departmentId ?? null, now, now, value],
    );
    const { timedOutOperatorId: _timedOut, ...logged } = move;
    await this.recordMoves(
      tenantId,
      rows.map((row) => ({ conversationId: row.id, move: logged })),
      now,
    );
    return rows.map((row) => row.id);
  }

  /** Closes a locked conversation; its operator stays on it (the history shows who served it). */
  async close(tenantId: string, conversationId: string, move: ConversationMove): Promise<void> {
    const now = this.clock();
    await this.sql.forTenant(tenantId)(
      `update conversation set status = 'closed', closed_at = ?, updated_at = ?
       where id = ? and tenant_id = :tenant`,
      [now, now, conversationId],
    );
    await this.recordMoves(tenantId, [{ conversationId, move }], now);
  }

  /**
   * Tenants with automatic close on and an assigned conversation that may have fallen
   * silent (the sweep then closes them tenant by tenant).
   */
  async tenantsWithIdleCandidates(): Promise<string[]> {
    const now = this.clock();
    const rows = await this.sql.acrossTenants<{ id: string }>(
      `select t.id from tenant t
       where t.auto_close_after_minutes is not null
         and exists (select 1 from conversation c where c.tenant_id = t.id
           and c.status = 'assigned'
           and c.assigned_at < ?::timestamptz - make_interval(mins => t.auto_close_after_minutes))`,
      [now],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Closes up to `limit` of a tenant's silent conversations (IDLE_SINCE_CUTOFF) and logs
   * each as closed for inactivity, by no one. Race-free against the visitor writing: the
   * candidates are locked first, skipping the rows an inbound batch holds (it locks the
   * conversation before it adds the message), and the close tests the silence again in a
   * statement of its own, which sees every message committed before the lock was taken;
   * a message after it waits for this transaction and then reopens the chat.
   */
  async closeIdle(tenantId: string, limit: number): Promise<IdleClosed[]> {
    const now = this.clock();
    const sql = this.sql.forTenant(tenantId);
    const locked = await sql<{ id: string }>(
      `select c.id from conversation c join tenant t on t.id = c.tenant_id
       where c.tenant_id = :tenant and ${IDLE_SINCE_CUTOFF}
       order by c.assigned_at, c.id
       limit ?
       for update of c skip locked`,
      [now, now, limit],
    );
    if (locked.length === 0) return [];
    const closed = await sql<{ id: string; operator_id: string | null }>(
      `update conversation c set status = 'closed', closed_at = ?, updated_at = ?
       from tenant t
       where t.id = c.tenant_id and c.tenant_id = :tenant and c.id = any(?::uuid[])
         and ${IDLE_SINCE_CUTOFF}
       returning c.id, c.operator_id`,
      [now, now, pgArray(locked.map((row) => row.id)), now, now],
    );
    await this.recordMoves(
      tenantId,
      closed.map((row) => ({
        conversationId: row.id,
        move: { type: 'closed', reason: 'inactivity', operatorId: row.operator_id },
      })),
      now,
    );
    return closed.map((row) => ({ id: row.id, operatorId: row.operator_id }));
  }

  /** The conversations of a page that are not closed. */
  async openOfPage(tenantId: string, pageRowId: string): Promise<string[]> {
    const rows = await this.sql.forTenant(tenantId)<{ id: string }>(
      `select id from conversation where tenant_id = :tenant and page_id = ? and status <> 'closed'`,
      [pageRowId],
    );
    return rows.map((row) => row.id);
  }

  /** Tenants with a conversation waiting (the sweep wakes their dispatchers). */
  async tenantsWithWaiting(): Promise<string[]> {
    const rows = await this.sql.acrossTenants<{ tenant_id: string }>(
      `select distinct tenant_id from conversation where status = 'queued'`,
    );
    return rows.map((row) => row.tenant_id);
  }

  /** Operators who went offline with chats still theirs (a crash between the two steps). */
  async heldByOfflineOperators(): Promise<{ tenantId: string; operatorId: string }[]> {
    const rows = await this.sql.acrossTenants<{ tenant_id: string; operator_id: string }>(
      `select distinct c.tenant_id, c.operator_id from conversation c
       join app_user u on u.id = c.operator_id
       where c.status = 'assigned' and u.status = 'offline'`,
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, operatorId: row.operator_id }));
  }

  /** The log's lines of moves, one statement however many. */
  private async recordMoves(
    tenantId: string,
    moves: { conversationId: string; move: ConversationMove }[],
    occurredAt: Date,
  ): Promise<void> {
    if (moves.length === 0) return;
    await this.sql.forTenant(tenantId)(
      `insert into conversation_event (id, tenant_id, conversation_id, type, reason, occurred_at,
         actor_id, actor_name, operator_id, operator_name, department_id)
       select r.id, c.tenant_id, c.id, r.type, r.reason, ?, r.actor_id, actor.name,
         r.operator_id, operator.name, coalesce(r.department_id, c.department_id)
       from jsonb_to_recordset(?::jsonb) as r(id uuid, conversation_id uuid, type text,
         reason text, actor_id uuid, operator_id uuid, department_id uuid)
       join conversation c on c.id = r.conversation_id and c.tenant_id = :tenant
       left join app_user actor on actor.id = r.actor_id
       left join app_user operator on operator.id = r.operator_id`,
      [
        occurredAt,
        pgRecords(
          moves.map(({ conversationId, move }) => ({
            id: uuidv7(),
            conversation_id: conversationId,
            type: move.type,
            reason: move.reason,
            actor_id: move.actorId ?? null,
            operator_id: move.operatorId ?? null,
            department_id: move.departmentId ?? null,
          })),
        ),
      ],
    );
  }
}
