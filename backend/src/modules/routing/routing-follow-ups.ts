import type { OutboxEntryRef, RoutingChangedPayload } from '../../outbox/outbox-map.js';
import type { ConversationsChanged, WakeDispatcher } from './routing.service.js';

/** Arranges for `RoutingService.expireFirstResponse` to run after `delayMs`. */
export type ScheduleFirstResponseCheck = (
  check: { conversationId: string; assignedAt: string },
  delayMs: number,
) => Promise<void>;

export type RoutingFollowUpsHooks = {
  wakeDispatcher: WakeDispatcher;
  conversationsChanged: ConversationsChanged;
  /** Must be idempotent per conversation and assignedAt (a job id made of both). */
  scheduleFirstResponseCheck: ScheduleFirstResponseCheck;
};

/**
 * What follows a committed move in the queue: the dispatcher is woken, the panels are sent
 * the conversations, first-response checks are scheduled. Performed from the outbox
 * ('routing-changed' entries, written in the move's transaction), at least once: a wake-up
 * twice assigns nothing twice, panels apply whole records by id, and a check's job id is
 * its conversation and assignment time. Its delay runs to the due time written with the
 * assignment, so a check performed late by the sweep is not pushed back.
 */
export class RoutingFollowUps {
  constructor(
    private readonly hooks: RoutingFollowUpsHooks,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async perform(change: RoutingChangedPayload, entry: OutboxEntryRef): Promise<void> {
    if (change.wakeDispatcher) await this.hooks.wakeDispatcher(entry.tenantId);
    if (change.conversationIds.length > 0)
      await this.hooks.conversationsChanged(entry.tenantId, change.conversationIds);
    for (const { conversationId, assignedAt, dueAt } of change.firstResponseChecks) {
      await this.hooks.scheduleFirstResponseCheck(
        { conversationId, assignedAt },
        Math.max(Date.parse(dueAt) - this.clock().getTime(), 0),
      );
    }
  }
}
