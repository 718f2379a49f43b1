import type { OutboxEntryRef, PageHealthChangedPayload } from '../../outbox/outbox-map.js';
import { rooms, type RealtimePublisher } from '../realtime/realtime.events.js';
import type { PageHealthService } from './page-health.service.js';

/**
 * Sends a page's health to those who work its conversations: the operators of its department
 * and the admins, or everyone for a page without a department (whose chats all may see).
 * Performed from the outbox ('page-health-changed'), at least once: the event carries the
 * page's health as it is now, so a second one changes nothing.
 */
export class PageHealthFollowUps {
  constructor(
    private readonly health: Pick<PageHealthService, 'describe'>,
    private readonly realtime: RealtimePublisher,
  ) {}

  async perform(change: PageHealthChangedPayload, entry: OutboxEntryRef): Promise<void> {
    const page = await this.health.describe(entry.tenantId, change.id);
    if (!page) return; // deleted since: 'page.deleted' told the panels
    const audience = page.departmentId
      ? [rooms.department(page.departmentId), rooms.admins(entry.tenantId)]
      : rooms.tenant(entry.tenantId);
    this.realtime.publish(entry.tenantId, audience, 'page.updated', page);
  }
}
