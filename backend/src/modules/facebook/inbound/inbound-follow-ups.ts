import type { JobQueues } from '../../../jobs/job-queues.js';
import type { InboundFollowUpsPayload, OutboxEntryRef } from '../../../outbox/outbox-map.js';
import type { ConversationBroadcaster } from '../../conversations/conversation-broadcaster.js';
import {
  QUEUE_NOTICE_DELAY_MS,
  type QueueNoticesService,
} from '../../routing/queue-notices.service.js';
import type { WakeDispatcher } from '../../routing/routing.service.js';
import type { InboundOutcome } from './inbound-batch.js';

/** A batch's outcome for one tenant as its outbox entry holds it (JSON: arrays, not sets). */
export function inboundFollowUpsOf(outcome: InboundOutcome): InboundFollowUpsPayload {
  return {
    conversationIds: [...outcome.conversationIds],
    queuedConversationIds: [...outcome.queuedConversationIds],
    createdConversationIds: [...outcome.createdConversationIds],
    newMessageIds: outcome.newMessageIds,
    updatedMessageIds: [...outcome.updatedMessageIds],
    attachmentDownloads: outcome.attachmentDownloads,
    contactIdsNeedingProfile: [...outcome.contactIdsNeedingProfile],
  };
}

/**
 * What follows a committed batch of inbound events, per tenant: the panels are told, the
 * dispatcher is woken for new waiting conversations, and the slow parts (profiles, files,
 * queue notices) become jobs of their own. Jobs are enqueued in bulk, one round trip each.
 *
 * Performed from the outbox ('inbound-follow-ups' entries, written with the batch), at
 * least once, so every step is idempotent: jobs have ids derived from the message or the
 * outbox entry (BullMQ ignores a second job with one id), the realtime events carry whole
 * records that panels apply by id, and waking the dispatcher twice assigns nothing twice.
 */
export class InboundFollowUps {
  constructor(
    private readonly deps: {
      queues: Pick<JobQueues, 'enqueue' | 'enqueueMany'>;
      broadcaster: Pick<ConversationBroadcaster, 'broadcast'>;
      wakeDispatcher: WakeDispatcher;
      queueChanged: (tenantId: string) => void;
      queueNotices: Pick<QueueNoticesService, 'isEnabledFor'>;
    },
  ) {}

  async perform(followUps: InboundFollowUpsPayload, entry: OutboxEntryRef): Promise<void> {
    const { queues, broadcaster, wakeDispatcher, queueChanged, queueNotices } = this.deps;
    await queues.enqueueMany(
      'attachment-download',
      followUps.attachmentDownloads.map((download) => ({
        payload: download,
        jobId: `attachment-${download.messageId}-${download.index}`,
      })),
    );
    if (followUps.contactIdsNeedingProfile.length > 0) {
      await queues.enqueue(
        'contact-profiles',
        { contactIds: followUps.contactIdsNeedingProfile },
        { jobId: `contact-profiles-${entry.id}` },
      );
    }
    await broadcaster.broadcast(entry.tenantId, {
      conversationIds: followUps.conversationIds,
      createdMessageIds: followUps.newMessageIds,
      updatedMessageIds: followUps.updatedMessageIds,
    });
    if (followUps.queuedConversationIds.length === 0) return;
    await wakeDispatcher(entry.tenantId);
    queueChanged(entry.tenantId);
    if (!(await queueNotices.isEnabledFor(entry.tenantId))) return;
    await queues.enqueueMany(
      'queue-notice',
      followUps.queuedConversationIds.map((conversationId) => ({
        payload: { conversationId },
        jobId: `queue-notice-${conversationId}-${entry.id}`,
        delay: QUEUE_NOTICE_DELAY_MS,
      })),
    );
  }
}
