import type { EntityManager } from '@mikro-orm/postgresql';
import { findByIdOrFail } from '../../db/find.js';
import { flushWith } from '../../db/sql.js';
import { appendToOutbox, type DispatchCommitted } from '../../outbox/outbox.js';
import { ConflictError, ForbiddenError } from '../../errors.js';
import { requireUser, type Actor } from '../auth/actor.js';
import type { Conversation } from '../conversations/conversation.entity.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import {
  toMessageDto,
  type FileLinker,
  type MessageDto,
} from '../conversations/conversations.schemas.js';
import { Message, type MessageKind } from '../conversations/message.entity.js';
import type { FilesService } from '../files/files.service.js';
import { assertReplyWindowOpen } from '../conversations/reply-window.js';
import { User } from '../operators/user.entity.js';

/** A file an operator uploads to send. */
/** A file an operator sent; its type is sniffed from the bytes, never taken from the browser. */
export type Upload = { content: Buffer; fileName: string };

/** Messenger's attachment types, from the file's MIME type. */
function attachmentKindOf(contentType: string): 'image' | 'video' | 'audio' | 'file' {
  const family = contentType.split('/')[0];
  return family === 'image' || family === 'video' || family === 'audio' ? family : 'file';
}

/** Asks for one stored outbound message to be sent (the 'outbound-send' job). */
export type RequestSend = (messageId: string, jobKey: string) => Promise<void>;

/**
 * An operator's reply: checked against who holds the chat and Messenger's reply window,
 * stored as pending and answered at once (202); a job sends it (outbound-sender.ts).
 */
export class RepliesService {
  constructor(
    private readonly em: EntityManager,
    private readonly conversations: Pick<ConversationsService, 'findVisible'>,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly linkFile: FileLinker,
    private readonly files: Pick<FilesService, 'storeUpload'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async reply(actor: Actor, conversationId: string, input: { text: string }): Promise<MessageDto> {
    const conversation = await this.replyableConversation(actor, conversationId);
    const message = this.newReply(actor, conversation, 'text');
    message.text = input.text;
    return this.store(message, { isNew: true, sendJobId: message.id });
  }

  /**
   * An image, video, audio clip or file, kept in Omni's storage and sent to Messenger by a
   * signed link to it (Messenger takes text and an attachment in separate messages).
   */
  async replyWithFile(actor: Actor, conversationId: string, upload: Upload): Promise<MessageDto> {
    const conversation = await this.replyableConversation(actor, conversationId);
    const file = await this.files.storeUpload(conversation.tenant, upload);
    const kind = attachmentKindOf(file.contentType);
    const message = this.newReply(actor, conversation, kind);
    file.message = message;
    file.page = conversation.page;
    this.em.persist(file);
    message.attachments = [
      {
        kind,
        url: null,
        title: upload.fileName,
        stickerId: null,
        coordinates: null,
        facebookType: kind,
        storedFileId: file.id,
      },
    ];
    return this.store(message, { isNew: true, sendJobId: message.id });
  }

  /** Refuses (404, 403, 409, 422) unless the actor may reply in the chat now. */
  async assertCanReply(actor: Actor, conversationId: string): Promise<void> {
    await this.replyableConversation(actor, conversationId);
  }

  /** The chat, if the actor may reply in it now (holder or admin, open, window open). */
  private async replyableConversation(actor: Actor, conversationId: string) {
    requireUser(actor); // a reply is signed by its operator
    const conversation = await this.conversations.findVisible(actor, conversationId); // or 404
    if (actor.role !== 'admin' && conversation.operator?.id !== actor.userId) {
      throw new ForbiddenError('Only the operator holding this chat (or an admin) can reply.');
    }
    if (conversation.status === 'closed') {
      throw new ConflictError(
        'CONVERSATION_CLOSED',
        'This chat is closed. It reopens when the visitor writes again.',
      );
    }
    const { contact, page } = conversation;
    assertReplyWindowOpen(contact.lastInboundAt, page.humanAgentEnabled, this.clock());
    return conversation;
  }

  private newReply(actor: Actor, conversation: Conversation, kind: MessageKind): Message {
    const now = this.clock();
    const message = new Message(
      conversation.tenant,
      conversation,
      conversation.page,
      'out',
      'operator',
      kind,
      now,
      '',
    );
    // Unique on the page like every message; Facebook's mid arrives with the send or the echo.
    message.dedupKey = `omni:${message.id}`;
    message.status = 'pending';
    message.operator = this.em.getReference(User, requireUser(actor).userId);
    if (!conversation.lastMessageAt || conversation.lastMessageAt < now) {
      conversation.lastMessageAt = now;
    }
    conversation.unreadCount = 0; // replying means the operator has read the chat
    return message;
  }

  /** Commits the reply with what must follow it (its send job, the panels' event), then does that. */
  private async store(
    message: Message,
    follow: { isNew: boolean; sendJobId: string },
  ): Promise<MessageDto> {
    this.em.persist(message);
    const outboxEntryIds = await flushWith(this.em, (sql) =>
      appendToOutbox(sql, [
        {
          tenantId: message.tenant.id,
          kind: 'reply-stored',
          payload: { conversationId: message.conversation.id, messageId: message.id, ...follow },
        },
      ]),
    );
    await this.dispatchCommitted(outboxEntryIds);
    return toMessageDto(message, this.linkFile);
  }

  /** A failed reply goes out again (the panel's Retry), through the same checks at send time. */
  async retry(actor: Actor, messageId: string): Promise<MessageDto> {
    const message = await findByIdOrFail(this.em, Message, messageId, 'The message');
    await this.conversations.findVisible(actor, message.conversation.id);
    if (message.direction !== 'out' || message.source !== 'operator') {
      throw new ConflictError('NOT_RETRYABLE', 'Only replies sent from Omni can be retried.');
    }
    if (message.status !== 'failed') {
      throw new ConflictError('NOT_RETRYABLE', 'Only a message that failed can be sent again.');
    }
    message.status = 'pending';
    message.error = null;
    message.sendStartedAt = null;
    message.sendAttempts = 0;
    return this.store(message, {
      isNew: false,
      sendJobId: `${message.id}-retry-${this.clock().getTime()}`,
    });
  }
}
