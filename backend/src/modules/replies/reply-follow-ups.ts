import type { OutboxEntryRef, ReplyStoredPayload } from '../../outbox/outbox-map.js';
import type { ConversationBroadcaster } from '../conversations/conversation-broadcaster.js';
import type { RequestSend } from './replies.service.js';

/**
 * What follows a stored reply or queue notice: its 'outbound-send' job and the panels'
 * message event. Performed from the outbox ('reply-stored' entries, written with the
 * message), at least once: the job id was fixed when the message was stored, and the event
 * carries the whole message.
 */
export class ReplyFollowUps {
  constructor(
    private readonly requestSend: RequestSend,
    private readonly broadcaster: Pick<ConversationBroadcaster, 'broadcast'>,
  ) {}

  async perform(reply: ReplyStoredPayload, entry: OutboxEntryRef): Promise<void> {
    await this.requestSend(reply.messageId, reply.sendJobId);
    const message = [reply.messageId];
    await this.broadcaster.broadcast(entry.tenantId, {
      conversationIds: [reply.conversationId],
      ...(reply.isNew ? { createdMessageIds: message } : { updatedMessageIds: message }),
    });
  }
}
