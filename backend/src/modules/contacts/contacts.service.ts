import type { EntityManager } from '@mikro-orm/postgresql';
import { findByIdOrFail } from '../../db/find.js';
import { sqlIn, sqlTransaction } from '../../db/sql.js';
import { NotFoundError } from '../../errors.js';
import { appendToOutbox, type DispatchCommitted } from '../../outbox/outbox.js';
import { recordAudit } from '../audit/audit-recorder.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../auth/actor.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import { eraseVisitorFromWebhookEvents } from '../facebook/webhook-event-records.js';
import { deleteFileRecordsOfConversations } from '../files/stored-file-records.js';
import { Contact } from '../conversations/contact.entity.js';
import { ConversationEvent } from '../conversations/conversation-event.entity.js';
import { loadViewer, visibleToFilter } from '../conversations/conversation-visibility.js';
import { Conversation } from '../conversations/conversation.entity.js';
import { buildEpisodes } from './contact-episodes.js';
import { ContactErasureRepository, ContactsRepository } from './contacts.repository.js';
import { toContactDto, type ContactDto } from './contacts.schemas.js';

/** The visitors, as those who may see their conversations see them. */
export class ContactsService {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatchCommitted: DispatchCommitted,
  ) {}

  /**
   * The visitor and the episodes of their conversations the caller may see; a visitor none of
   * whose conversations the caller sees is not found.
   */
  async get(actor: Actor, id: string): Promise<ContactDto> {
    const contact = await findByIdOrFail(this.em, Contact, id, 'The visitor', {
      populate: ['page'],
    });
    const conversations = await this.em.find(
      Conversation,
      { $and: [{ contact }, visibleToFilter(await loadViewer(this.em, actor))] },
      { orderBy: { createdAt: 'asc' } },
    );
    if (conversations.length === 0) throw new NotFoundError('The visitor');
    const events = await this.em.find(
      ConversationEvent,
      { conversation: { $in: conversations.map((conversation) => conversation.id) } },
      { orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] },
    );
    const episodes = buildEpisodes(
      conversations.map((conversation) => ({
        id: conversation.id,
        createdAt: conversation.createdAt,
        status: conversation.status,
        operatorId: conversation.operator?.id ?? null,
        closedAt: conversation.closedAt,
      })),
      events.map((event) => ({
        conversationId: event.conversation.id,
        type: event.type,
        operatorId: event.operator?.id ?? null,
        occurredAt: event.occurredAt,
      })),
    );
    const firstMessageIds = await new ContactsRepository(sqlIn(this.em)).firstMessageIds(
      actor.tenantId,
      episodes,
    );
    return toContactDto(
      contact,
      episodes.map((episode, index) => ({
        ...episode,
        firstMessageId: firstMessageIds[index] ?? null,
      })),
    );
  }

  /**
   * Erases a visitor (an admin's answer to their request to delete their data): their
   * messages and the notes about them, the files those held, their name, photo and PSID, and
   * their events in the kept webhook deliveries. Their conversations stay as anonymous
   * stubs (times, department, operator, events, rating, labels), so the figures still count
   * them; one still open is closed first (logged as closed by the admin). All of it commits
   * with the audit entry, or none; the files' bytes go after the commit, with the panels'
   * update ('visitor-erased'), so a rollback loses nothing.
   */
  async erase(actor: Actor, id: string): Promise<void> {
    const contact = await findByIdOrFail(this.em, Contact, id, 'The visitor');
    const tenantId = actor.tenantId;
    const outboxEntryIds = await sqlTransaction(this.em, async (sql) => {
      const erasure = new ContactErasureRepository(sql);
      const visitor = await erasure.lockContact(tenantId, contact.id);
      if (!visitor) throw new NotFoundError('The visitor'); // erased meanwhile
      const conversations = await erasure.lockConversations(tenantId, visitor.id);
      const conversationIds = conversations.map((conversation) => conversation.id);
      const open = conversations.filter((conversation) => conversation.status !== 'closed');
      const store = new ConversationStore(sql);
      for (const conversation of open) {
        await store.close(tenantId, conversation.id, {
          type: 'closed',
          reason: 'manual',
          actorId: actor.userId,
          operatorId: conversation.operatorId,
        });
      }
      const storageKeys = await deleteFileRecordsOfConversations(sql, tenantId, conversationIds);
      const messageIds = await erasure.deleteMessages(tenantId, conversationIds);
      // Sent or not, what Omni told other systems about them is theirs too.
      await erasure.deleteWebhookDeliveries(tenantId, conversationIds);
      if (!visitor.isErased) {
        await eraseVisitorFromWebhookEvents(sql, tenantId, {
          pageId: visitor.pageId,
          psid: visitor.psid,
          messageIds,
        });
        await erasure.replaceWithStandIn(tenantId, visitor, conversationIds);
      }
      await new AuditRepository(sql).forgetConversationNames(tenantId, conversationIds);
      await recordAudit(sql, actor, {
        action: 'contact.erased',
        // Named by nothing of theirs: the entry must not keep what it records the erasure of.
        target: { type: 'contact', id: visitor.id, name: null },
        changes: {
          messages: { from: messageIds.length, to: 0 },
          files: { from: storageKeys.length, to: 0 },
        },
      });
      return appendToOutbox(sql, [
        {
          tenantId,
          kind: 'visitor-erased',
          payload: {
            conversationIds,
            storageKeys,
            // A held chat closed: its operator has room for the next one.
            wakeDispatcher: open.some((conversation) => conversation.status === 'assigned'),
          },
        },
      ]);
    });
    await this.dispatchCommitted(outboxEntryIds);
  }
}
