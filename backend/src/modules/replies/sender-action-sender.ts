import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { replyMessagingType } from '../conversations/reply-window.js';
import type { GraphClient, SenderAction } from '../facebook/graph/graph-client.js';

/** The 'sender-action' job: sends the action when the window allows one. */
export class SenderActionSender {
  constructor(
    private readonly em: EntityManager,
    private readonly graph: GraphClient,
    private readonly secrets: SecretBox,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async send(
    conversationId: string,
    action: SenderAction,
  ): Promise<'sent' | 'window-closed' | 'gone'> {
    const conversation = await this.em.findOne(Conversation, conversationId, {
      filters: { [TENANT_FILTER]: false },
      populate: ['contact', 'page'],
    });
    if (!conversation) return 'gone';
    const { contact, page } = conversation;
    if (!replyMessagingType(contact.lastInboundAt, page.humanAgentEnabled, this.clock())) {
      return 'window-closed';
    }
    await this.graph.sendSenderAction(contact.psid, action, page.openCredentials(this.secrets));
    return 'sent';
  }
}
