import type { EntityManager } from '@mikro-orm/postgresql';
import { scopeToTenant } from '../../db/tenant-filter.js';
import type { OutboxEntryRef, ReplyStoredPayload } from '../../outbox/outbox-map.js';
import type { MessageChanged, RequestSend } from './replies.service.js';

/**
 * What follows a stored reply: its 'outbound-send' job and the panels' message event.
 * Performed from the outbox ('reply-stored' entries, written with the reply), at least once:
 * the job id was fixed when the reply was stored, and the event carries the whole message.
 */
export class ReplyFollowUps {
  constructor(
    private readonly em: EntityManager,
    private readonly hooks: { requestSend: RequestSend; messageChanged: MessageChanged },
  ) {}

  async perform(reply: ReplyStoredPayload, entry: OutboxEntryRef): Promise<void> {
    await this.hooks.requestSend(reply.messageId, reply.sendJobId);
    scopeToTenant(this.em, entry.tenantId); // the broadcast reads as this tenant
    await this.hooks.messageChanged({
      conversationId: reply.conversationId,
      ...(reply.isNew
        ? { createdMessageId: reply.messageId }
        : { updatedMessageId: reply.messageId }),
    });
  }
}
