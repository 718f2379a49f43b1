import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlTransaction } from '../../db/sql.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import { appendToOutbox, type DispatchCommitted, type OutboxWrite } from '../../outbox/outbox.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import { Conversation } from '../conversations/conversation.entity.js';
import type { Message } from '../conversations/message.entity.js';
import { replyMessagingType } from '../conversations/reply-window.js';
import { storeAutomaticMessage } from '../replies/automatic-message.js';
import { departmentMenuQuickReplies, type DepartmentMenuMessage } from './department-menu.js';

/**
 * The department menu's messages. An inbound batch holds a brand-new conversation out of the
 * queue ('choosing_department') and asks, through a 'department-menu-due' outbox entry
 * committed with it, for the menu (or, after the visitor typed instead, the one reminder):
 * the page's prompt with one quick reply per option, stored as an `automatic` message and
 * sent through the replies' outbound path, RESPONSE only (the visitor has just written).
 * The visitor's tap is read by the inbound batch (departmentMenuStep).
 *
 * Nobody may be left choosing for want of a menu: when it cannot be sent (the menu was
 * switched off or lost its options meanwhile, the token is dead, the window closed) the
 * conversation is queued to the page's department at once, and when the send fails later
 * the sender writes a 'department-menu-unsent' entry that does the same.
 */
export class DepartmentMenuService {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Stores and sends a conversation's menu or reminder while it is still choosing; one of
   * each per conversation however often it is asked (its dedup key). Returns the message,
   * or null when none is due (or it was queued instead).
   */
  async offer(conversationId: string, which: DepartmentMenuMessage): Promise<Message | null> {
    const em = this.em.fork();
    const conversation = await em.findOne(Conversation, conversationId, {
      filters: { [TENANT_FILTER]: false },
      populate: ['tenant', 'contact', 'page', 'page.departmentMenuOptions'],
    });
    if (!conversation || conversation.status !== 'choosing_department') return null;
    const { page, contact } = conversation;
    const options = page.departmentMenuOptions.getItems().map((option) => ({
      title: option.title,
      departmentId: option.department.id,
    }));
    const now = this.clock();
    const isSendable =
      page.departmentMenuEnabled &&
      page.departmentMenuPrompt !== null &&
      options.length > 0 &&
      page.tokenValid &&
      // Never outside the standard window: an automatic message is never tagged.
      replyMessagingType(contact.lastInboundAt, false, now) === 'RESPONSE';
    if (!isSendable) {
      await this.queueWithoutChoice(conversation.id);
      return null;
    }
    return storeAutomaticMessage(
      em,
      this.dispatchCommitted,
      conversation,
      {
        text: page.departmentMenuPrompt!,
        dedupKey: `department-menu:${conversation.id}:${which}`,
        details: {
          departmentMenu: which,
          quickReplies: departmentMenuQuickReplies(conversation.id, options),
        },
      },
      now,
    );
  }

  /**
   * Queues a conversation still choosing to its page's department (or the shared queue),
   * logged as 'department_menu_skipped'; nothing when it is not choosing any more.
   */
  async queueWithoutChoice(conversationId: string): Promise<boolean> {
    const conversation = await this.em
      .fork()
      .findOne(Conversation, conversationId, { filters: { [TENANT_FILTER]: false } });
    if (!conversation) return false;
    const tenantId = conversation.tenant.id;
    const outboxEntryIds = await sqlTransaction(this.em, async (sql) => {
      const left = await new ConversationStore(sql, this.clock).leaveDepartmentMenu(
        tenantId,
        conversationId,
        'department_menu_skipped',
      );
      if (!left) return [];
      return appendToOutbox(sql, [
        {
          tenantId,
          kind: 'routing-changed',
          payload: {
            conversationIds: [conversationId],
            wakeDispatcher: true,
            firstResponseChecks: [],
          },
        },
      ]);
    });
    await this.dispatchCommitted(outboxEntryIds);
    return outboxEntryIds.length > 0;
  }
}

/**
 * What a failed automatic message must still cause: a department menu (or its reminder) that
 * could not be sent queues its conversation without a choice ('department-menu-unsent').
 */
export function departmentMenuUnsent(message: Message): OutboxWrite[] {
  if (message.details['departmentMenu'] === undefined) return [];
  return [
    {
      tenantId: message.tenant.id,
      kind: 'department-menu-unsent',
      payload: { conversationId: message.conversation.id },
    },
  ];
}
