import type { EntityManager } from '@mikro-orm/postgresql';
import type { OperatorPresence } from './operator-presence.js';
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
    const connection = this.em.getConnection();
    const now = this.clock().getTime();

    const working = await connection.execute<
      { id: string; tenant_id: string; status_changed_at: string | Date }[]
    >(`select id, tenant_id, status_changed_at from app_user where status <> 'offline'`);
    const lastSeen = await this.presence.lastSeen(working.map((user) => user.id));
    let wentOffline = 0;
    for (const user of working) {
      // Going online counts as being seen: a panel gets the grace period to connect.
      const aliveAt = Math.max(
        new Date(user.status_changed_at).getTime(),
        lastSeen.get(user.id) ?? 0,
      );
      if (now - aliveAt > this.graceMs) {
        await this.takeOffline(user.tenant_id, user.id);
        wentOffline += 1;
      }
    }

    const stranded = await connection.execute<{ tenant_id: string; operator_id: string }[]>(
      `select distinct c.tenant_id, c.operator_id from conversation c
       join app_user u on u.id = c.operator_id
       where c.status = 'assigned' and u.status = 'offline'`,
    );
    let requeued = 0;
    for (const { tenant_id, operator_id } of stranded) {
      requeued += (await this.routing.requeueHeldBy(tenant_id, operator_id, 'operator_offline'))
        .length;
    }

    const waiting = await connection.execute<{ tenant_id: string }[]>(
      `select distinct tenant_id from conversation where status = 'queued'`,
    );
    for (const { tenant_id } of waiting) await this.wakeDispatcher(tenant_id);
    return { wentOffline, requeued, tenantsWoken: waiting.length };
  }
}
