import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import type { Logger } from '../logger.js';
import { OutboxDispatcher } from '../outbox/outbox-dispatcher.js';
import type { DispatchCommitted } from '../outbox/outbox.js';
import { handlersFor } from './outbox-handlers.js';
import type { UserActor } from '../modules/auth/actor.js';
import {
  RoutingFollowUps,
  type RoutingFollowUpsHooks,
} from '../modules/routing/routing-follow-ups.js';
import { RoutingService } from '../modules/routing/routing.service.js';

/**
 * A RoutingService whose moves are followed by `hooks` as in the servers: through the outbox,
 * performed at once after each commit (the fast path).
 */
export function createRoutingWithHooks(
  em: EntityManager,
  hooks: RoutingFollowUpsHooks,
  logger: Logger,
  clock: () => Date = () => new Date(),
): RoutingService {
  return new RoutingService(
    em,
    {
      wakeDispatcher: hooks.wakeDispatcher,
      dispatchCommitted: routingFollowUpsThroughOutbox(em, hooks, logger, clock),
    },
    clock,
  );
}

/**
 * Performs committed 'routing-changed' outbox entries at once with `hooks`, as the servers'
 * fast path does (for whatever writes them: the queue, the automatic close).
 */
export function routingFollowUpsThroughOutbox(
  em: EntityManager,
  hooks: RoutingFollowUpsHooks,
  logger: Logger,
  clock: () => Date = () => new Date(),
): DispatchCommitted {
  const followUps = new RoutingFollowUps(hooks, clock);
  const outbox = new OutboxDispatcher(
    em.fork(),
    handlersFor({ 'routing-changed': (change, entry) => followUps.perform(change, entry) }),
    logger,
  );
  return (outboxEntryIds) => outbox.dispatchCommitted(outboxEntryIds);
}

/**
 * Queue scenes written straight into PostgreSQL, for tests and benchmarks that need many
 * operators and conversations quickly (the API creates them one by one, with a password hash
 * each). Everything belongs to one existing tenant and page.
 */
export class QueueScene {
  constructor(
    private readonly em: EntityManager,
    readonly tenantId: string,
    readonly pageRecordId: string,
  ) {}

  /** Operators with the given status, capacity and departments; returns them as actors. */
  async addOperators(
    count: number,
    options: {
      status?: 'online' | 'away' | 'offline';
      maxChats?: number;
      departmentIds?: string[];
    } = {},
  ): Promise<UserActor[]> {
    const ids = Array.from({ length: count }, () => uuidv7());
    const connection = this.em.getConnection();
    for (const id of ids) {
      await connection.execute(
        `insert into app_user (id, tenant_id, email, name, password_hash, role, status, max_chats)
         values (?, ?, ?, ?, 'not-a-hash', 'operator', ?, ?)`,
        [
          id,
          this.tenantId,
          `${id}@scene.test`,
          `Operator ${id.slice(-6)}`,
          options.status ?? 'online',
          options.maxChats ?? null,
        ],
      );
      for (const departmentId of options.departmentIds ?? []) {
        await connection.execute(
          'insert into user_department (user_id, department_id) values (?, ?)',
          [id, departmentId],
        );
      }
    }
    return ids.map((userId) => ({ userId, tenantId: this.tenantId, role: 'operator' as const }));
  }

  /**
   * Waiting conversations (each with its own contact, and its "queued" event in the log),
   * one second apart in queue order from `start` (an hour ago by default); the first
   * returned waited longest.
   */
  async addWaiting(
    count: number,
    departmentId: string | null = null,
    start = Date.now() - 3_600_000,
  ): Promise<string[]> {
    const rows = Array.from({ length: count }, (_, index) => ({
      contactId: uuidv7(),
      conversationId: uuidv7(),
      queuedAt: new Date(start + index * 1000),
    }));
    const connection = this.em.getConnection();
    for (let offset = 0; offset < rows.length; offset += 500) {
      const batch = rows.slice(offset, offset + 500);
      await connection.execute(
        `insert into contact (id, tenant_id, page_id, psid) values ${batch.map(() => '(?, ?, ?, ?)').join(', ')}`,
        batch.flatMap((row) => [
          row.contactId,
          this.tenantId,
          this.pageRecordId,
          `psid-${row.contactId}`,
        ]),
      );
      await connection.execute(
        `insert into conversation (id, tenant_id, contact_id, page_id, department_id, status, queued_at)
         values ${batch.map(() => `(?, ?, ?, ?, ?, 'queued', ?)`).join(', ')}`,
        batch.flatMap((row) => [
          row.conversationId,
          this.tenantId,
          row.contactId,
          this.pageRecordId,
          departmentId,
          row.queuedAt,
        ]),
      );
      await connection.execute(
        `insert into conversation_event (id, tenant_id, conversation_id, type, reason, occurred_at, department_id)
         values ${batch.map(() => `(?, ?, ?, 'queued', 'new_conversation', ?, ?)`).join(', ')}`,
        batch.flatMap((row) => [
          uuidv7(),
          this.tenantId,
          row.conversationId,
          row.queuedAt,
          departmentId,
        ]),
      );
    }
    return rows.map((row) => row.conversationId);
  }

  /** A reply from the operator holding the conversation, as the Send API path stores it. */
  async addOperatorReply(conversationId: string, at = new Date()): Promise<void> {
    await this.em.getConnection().execute(
      `insert into message (id, tenant_id, conversation_id, page_id, direction, source, kind,
         text, dedup_key, occurred_at, operator_id, status)
       select ?, tenant_id, id, page_id, 'out', 'operator', 'text', 'Hello!', ?, ?, operator_id,
         'sent' from conversation where id = ?`,
      [uuidv7(), uuidv7(), at, conversationId],
    );
  }

  /** Who holds what: conversation id → operator id, for the assigned ones. */
  async holders(): Promise<Map<string, string>> {
    const rows = await this.em
      .getConnection()
      .execute<{ id: string; operator_id: string }[]>(
        `select id, operator_id from conversation where tenant_id = ? and status = 'assigned'`,
        [this.tenantId],
      );
    return new Map(rows.map((row) => [row.id, row.operator_id]));
  }
}
