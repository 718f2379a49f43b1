import { rooms, type RealtimePublisher } from '../realtime/realtime.events.js';
import type { QueueFiguresService } from './queue-figures.service.js';

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
