import type { OutboxEntryRef, PageDeletedPayload } from '../../outbox/outbox-map.js';
import { rooms, type RealtimePublisher } from '../realtime/realtime.events.js';
import type { WakeDispatcher } from '../routing/routing.service.js';

/**
 * What follows a deleted page: the panels drop its conversations, the dispatcher fills the
 * room their operators got back, the queue figures change. Performed from the outbox
 * ('page-deleted' entries, written with the deletion), at least once: panels drop a page
 * they no longer have without a fuss, and a wake-up twice assigns nothing twice.
 */
export class PageFollowUps {
  constructor(
    private readonly realtime: RealtimePublisher,
    private readonly queue: {
      wakeDispatcher: WakeDispatcher;
      queueChanged: (tenantId: string) => void;
    },
  ) {}

  async perform(page: PageDeletedPayload, entry: OutboxEntryRef): Promise<void> {
    this.realtime.publish(entry.tenantId, rooms.tenant(entry.tenantId), 'page.deleted', {
      id: page.id,
      pageId: page.pageId,
    });
    await this.queue.wakeDispatcher(entry.tenantId);
    this.queue.queueChanged(entry.tenantId);
  }
}
