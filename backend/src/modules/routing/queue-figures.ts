import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../db/sql.js';
import { rooms, type RealtimePublisher } from '../realtime/realtime.events.js';
import { RoutingRepository } from './routing.repository.js';
import type { QueueFigures } from './routing.schemas.js';

/**
 * The live state of a tenant's queue: per department how many wait and since when, how many
 * are being served, who is online with how much room; and every operator's load (the
 * transfer dialog shows it). Read from PostgreSQL, so it is the same on every instance.
 */
export class QueueFiguresService {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async current(tenantId: string): Promise<QueueFigures> {
    const repository = new RoutingRepository(sqlIn(this.em));
    const operators = await repository.operatorLoads(tenantId, null);
    const conversations = await repository.openConversationCounts(tenantId);
    const departments = await repository.departmentIds(tenantId);

    const operatorFigures = operators.map((operator) => ({
      id: operator.id,
      name: operator.name,
      status: operator.status,
      load: operator.load,
      capacity: operator.capacity,
      departmentIds: operator.departmentIds,
    }));
    const figuresOf = (departmentId: string | null) => {
      const row = (status: string) =>
        conversations.find((c) => c.departmentId === departmentId && c.status === status);
      const serving = operatorFigures.filter(
        (operator) =>
          operator.status === 'online' &&
          (departmentId === null || operator.departmentIds.includes(departmentId)),
      );
      return {
        departmentId,
        waiting: row('queued')?.count ?? 0,
        oldestQueuedAt: row('queued')?.oldestQueuedAt?.toISOString() ?? null,
        inProgress: row('assigned')?.count ?? 0,
        operatorsOnline: serving.length,
        freeSlots: serving.reduce((sum, o) => sum + Math.max(0, o.capacity - o.load), 0),
      };
    };
    return {
      at: this.clock().toISOString(),
      departments: [null, ...departments].map(figuresOf),
      operators: operatorFigures,
    };
  }
}

/** At most one `queue.updated` per tenant this often, however busy the queue is. */
export const QUEUE_FIGURES_INTERVAL_MS = 1_000;

/**
 * Pushes `queue.updated` to a tenant's panels after its queue changed: at once when it has
 * been quiet, else once at the end of the interval with the figures as they are then.
 */
export class QueueFiguresPublisher {
  private readonly lastSentAt = new Map<string, number>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly figures: Pick<QueueFiguresService, 'current'>,
    private readonly realtime: RealtimePublisher,
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  queueChanged(tenantId: string): void {
    if (this.pending.has(tenantId)) return;
    const wait =
      (this.lastSentAt.get(tenantId) ?? -Infinity) + QUEUE_FIGURES_INTERVAL_MS - this.now();
    this.pending.add(tenantId);
    setTimeout(() => void this.send(tenantId), Math.max(0, wait)).unref();
  }

  private async send(tenantId: string): Promise<void> {
    this.pending.delete(tenantId);
    this.lastSentAt.set(tenantId, this.now());
    try {
      this.realtime.publish(
        tenantId,
        rooms.tenant(tenantId),
        'queue.updated',
        await this.figures.current(tenantId),
      );
    } catch (error) {
      this.onError(error);
    }
  }
}
