import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../db/sql.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import type { OperatorPresence } from './operator-presence.js';
import { RoutingRepository } from './routing.repository.js';
import type { RoutingService, WakeDispatcher } from './routing.service.js';

export const ROUTING_SWEEP_INTERVAL_MS = 15_000;

/** How the sweep takes an operator offline (OperatorsService.changeStatus). */
export type TakeOffline = (tenantId: string, userId: string) => Promise<void>;

/**
 * The queue's safety net, run every few seconds by one worker: operators whose panels are
 * all gone past the grace period go offline (their chats back to the queue); chats still
 * held by an offline operator (a crash between the two steps) go back too; and every tenant
 * with waiting conversations gets its dispatcher woken, so a lost wake-up only delays.
 */
export class RoutingSweeper {
  constructor(
    private readonly em: EntityManager,
    private readonly presence: OperatorPresence,
    private readonly takeOffline: TakeOffline,
    private readonly routing: Pick<RoutingService, 'requeueHeldBy'>,
    private readonly wakeDispatcher: WakeDispatcher,
    private readonly graceMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async sweep(): Promise<{ wentOffline: number; requeued: number; tenantsWoken: number }> {
    const sql = sqlIn(this.em);
    const conversations = new ConversationStore(sql);
    const now = this.clock().getTime();

    const working = await new RoutingRepository(sql).operatorsAtWork();
    const lastSeen = await this.presence.lastSeen(working.map((user) => user.id));
    let wentOffline = 0;
    for (const user of working) {
      // Going online counts as being seen: a panel gets the grace period to connect.
      const aliveAt = Math.max(user.statusChangedAt.getTime(), lastSeen.get(user.id) ?? 0);
      if (now - aliveAt > this.graceMs) {
        await this.takeOffline(user.tenantId, user.id);
        wentOffline += 1;
      }
    }

    let requeued = 0;
    for (const { tenantId, operatorId } of await conversations.heldByOfflineOperators()) {
      requeued += (await this.routing.requeueHeldBy(tenantId, operatorId, 'operator_offline'))
        .length;
    }

    const waiting = await conversations.tenantsWithWaiting();
    for (const tenantId of waiting) await this.wakeDispatcher(tenantId);
    return { wentOffline, requeued, tenantsWoken: waiting.length };
  }
}
