import type { EntityManager } from '@mikro-orm/postgresql';
import { scopeToTenant } from '../../../db/tenant-filter.js';
import type { JobQueues } from '../../../jobs/job-queues.js';
import type { ConversationBroadcaster } from '../../conversations/conversation-broadcaster.js';
import { QUEUE_NOTICE_DELAY_MS, type QueueNoticesService } from '../../routing/queue-notices.js';
import type { WakeDispatcher } from '../../routing/routing.service.js';
import type { InboundOutcome } from './inbound-batch.js';

/**
 * What follows a committed batch of inbound events, per tenant: the panels are told, the
 * dispatcher is woken for new waiting conversations, and the slow parts (profiles, files,
 * queue notices) become jobs of their own. Jobs are enqueued in bulk, one round trip each.
 */
export class InboundFollowUps {
  constructor(
    private readonly deps: {
      em: EntityManager;
      queues: Pick<JobQueues, 'enqueue' | 'enqueueMany'>;
      broadcaster: ConversationBroadcaster;
      wakeDispatcher: WakeDispatcher;
      queueChanged: (tenantId: string) => void;
      queueNotices: Pick<QueueNoticesService, 'isEnabledFor'>;
      clock?: () => Date;
    },
  ) {}

  async run(outcomes: InboundOutcome[]): Promise<void> {
    for (const outcome of outcomes) await this.runFor(outcome);
  }

  private async runFor(outcome: InboundOutcome): Promise<void> {
    const { em, queues, broadcaster, wakeDispatcher, queueChanged, queueNotices } = this.deps;
    const now = this.deps.clock?.() ?? new Date();
    await queues.enqueueMany(
      'attachment-download',
      outcome.attachmentDownloads.map((download) => ({
        payload: download,
        jobId: `attachment-${download.messageId}-${download.index}`,
      })),
    );
    if (outcome.contactIdsNeedingProfile.size > 0) {
      await queues.enqueue('contact-profiles', {
        contactIds: [...outcome.contactIdsNeedingProfile],
      });
    }
    scopeToTenant(em, outcome.tenantId); // the broadcast reads as this tenant
    await broadcaster.broadcast({
      conversationIds: outcome.conversationIds,
      createdMessageIds: outcome.newMessageIds,
      updatedMessageIds: outcome.updatedMessageIds,
    });
    if (outcome.queuedConversationIds.size === 0) return;
    await wakeDispatcher(outcome.tenantId);
    queueChanged(outcome.tenantId);
    if (!(await queueNotices.isEnabledFor(outcome.tenantId))) return;
    await queues.enqueueMany(
      'queue-notice',
      [...outcome.queuedConversationIds].map((conversationId) => ({
        payload: { conversationId },
        jobId: `queue-notice-${conversationId}-${now.getTime()}`,
        delay: QUEUE_NOTICE_DELAY_MS,
      })),
    );
  }
}
