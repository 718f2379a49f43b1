import type { EntityManager } from '@mikro-orm/postgresql';
import { scopeToTenant } from '../../db/tenant-filter.js';
import type { OperatorChangedPayload, OutboxEntryRef } from '../../outbox/outbox-map.js';
import { rooms, type RealtimePublisher } from '../realtime/realtime.events.js';
import type { WakeDispatcher } from '../routing/routing.service.js';
import { toUserDto } from './operators.schemas.js';
import { User } from './user.entity.js';

/**
 * What follows a committed change of an operator: the panels are sent their record, and the
 * queue hears what it means (the live figures count who is online; more room may let
 * waiting chats through). Performed from the outbox ('operator-changed' entries, written
 * with the change), at least once: the record is read when performed and sent whole, and a
 * wake-up twice assigns nothing twice.
 */
export class OperatorFollowUps {
  constructor(
    private readonly em: EntityManager,
    private readonly realtime: RealtimePublisher,
    private readonly queue: {
      wakeDispatcher: WakeDispatcher;
      queueChanged: (tenantId: string) => void;
    },
  ) {}

  async perform(change: OperatorChangedPayload, entry: OutboxEntryRef): Promise<void> {
    const em = this.em.fork();
    scopeToTenant(em, entry.tenantId);
    const user = await em.findOne(User, change.userId, { populate: ['departments'] });
    // A user deleted since has no record to show.
    if (user) {
      this.realtime.publish(
        entry.tenantId,
        rooms.tenant(entry.tenantId),
        'operator.updated',
        toUserDto(user),
      );
    }
    if (change.queueChanged) this.queue.queueChanged(entry.tenantId);
    if (change.wakeDispatcher) await this.queue.wakeDispatcher(entry.tenantId);
  }
}
