import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findByIdOrFail } from '../../db/find.js';
import { NotFoundError } from '../../errors.js';
import { encodeKeysetCursor, type KeysetCursor } from '../../http/cursor.js';
import type { Actor } from '../auth/actor.js';
import { User } from '../operators/user.entity.js';
import { visibleToFilter, type Viewer } from './conversation-visibility.js';
import { Conversation } from './conversation.entity.js';
import {
  toConversationDto,
  toMessageDto,
  type ConversationDto,
  type FileLinker,
  type ListConversationsQuery,
  type MessageDto,
} from './conversations.schemas.js';
import { findLastMessages } from './message.repository.js';
import { Message } from './message.entity.js';
import { findWaitingSince } from './waiting-since.repository.js';

const PAGE_SIZE = 50;

export type Page<T> = { items: T[]; nextCursor: string | null };

/** Reading conversations and their history, as the signed-in user may see them. */
export class ConversationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly linkFile: FileLinker,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Queued conversations oldest first (the queue); the others most recently active first.
   * Operators see their departments' conversations, those of pages without a department,
   * and their own; admins see everything.
   */
  async list(actor: Actor, query: ListConversationsQuery): Promise<Page<ConversationDto>> {
    const isQueue = query.status === 'queued';
    const orderField = isQueue ? 'queuedAt' : 'lastMessageAt';
    const conditions: FilterQuery<Conversation>[] = [visibleToFilter(await this.viewer(actor))];
    if (query.status) conditions.push({ status: query.status });
    if (query.mine === 'true') conditions.push({ operator: actor.userId });
    if (query.departmentId) conditions.push({ department: query.departmentId });
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      const matchingText = await this.em.find(
        Message,
        { text: { $ilike: pattern } },
        { fields: ['conversation'], limit: 500 },
      );
      conditions.push({
        $or: [
          { contact: { firstName: { $ilike: pattern } } },
          { contact: { lastName: { $ilike: pattern } } },
          { id: { $in: matchingText.map((message) => message.conversation.id) } },
        ],
      });
    }
    const cursor = query.cursor;
    if (cursor) {
      const comparison = isQueue ? '$gt' : '$lt';
      conditions.push({
        $or: [
          { [orderField]: { [comparison]: cursor.at } },
          { [orderField]: cursor.at, id: { [comparison]: cursor.id } },
        ],
      } as FilterQuery<Conversation>);
    }
    const direction = isQueue ? 'asc' : 'desc';
    const conversations = await this.em.find(
      Conversation,
      { $and: conditions },
      {
        populate: ['contact', 'page'],
        orderBy: [{ [orderField]: `${direction} nulls last` }, { id: direction }],
        limit: PAGE_SIZE + 1,
      },
    );
    const hasMore = conversations.length > PAGE_SIZE;
    const items = conversations.slice(0, PAGE_SIZE);
    const ids = items.map((conversation) => conversation.id);
    const lastMessages = await findLastMessages(this.em, ids);
    const waitingSince = await findWaitingSince(this.em, ids);
    const now = this.clock();
    const last = items.at(-1);
    return {
      items: items.map((conversation) =>
        toConversationDto(
          conversation,
          lastMessages.get(conversation.id) ?? null,
          now,
          this.linkFile,
          waitingSince.get(conversation.id) ?? null,
        ),
      ),
      nextCursor:
        hasMore && last
          ? encodeKeysetCursor({ at: last[orderField] ?? new Date(0), id: last.id })
          : null,
    };
  }

  async get(actor: Actor, id: string): Promise<ConversationDto> {
    return this.present(await this.findVisible(actor, id));
  }

  /**
   * The conversation as it is after its caller changed it, whether or not they still see it
   * (a chat transferred to another department leaves the operator's view).
   */
  async afterChange(id: string): Promise<ConversationDto> {
    return this.present(
      await findByIdOrFail(this.em, Conversation, id, 'The conversation', {
        populate: ['contact', 'page'],
      }),
    );
  }

  private async present(conversation: Conversation): Promise<ConversationDto> {
    const lastMessages = await findLastMessages(this.em, [conversation.id]);
    const waitingSince = await findWaitingSince(this.em, [conversation.id]);
    return toConversationDto(
      conversation,
      lastMessages.get(conversation.id) ?? null,
      this.clock(),
      this.linkFile,
      waitingSince.get(conversation.id) ?? null,
    );
  }

  /** The newest messages first page by page (the panel scrolls upwards); each page in time order. */
  async listMessages(
    actor: Actor,
    conversationId: string,
    cursor: KeysetCursor | undefined,
  ): Promise<Page<MessageDto>> {
    const conversation = await this.findVisible(actor, conversationId);
    const messages = await this.em.find(
      Message,
      {
        conversation,
        ...(cursor
          ? {
              $or: [
                { occurredAt: { $lt: cursor.at } },
                { occurredAt: cursor.at, id: { $lt: cursor.id } },
              ],
            }
          : {}),
      },
      { orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }], limit: PAGE_SIZE + 1 },
    );
    const hasMore = messages.length > PAGE_SIZE;
    const items = messages.slice(0, PAGE_SIZE);
    const oldest = items.at(-1);
    return {
      items: items.reverse().map((message) => toMessageDto(message, this.linkFile)),
      nextCursor:
        hasMore && oldest ? encodeKeysetCursor({ at: oldest.occurredAt, id: oldest.id }) : null,
    };
  }

  private async findVisible(actor: Actor, id: string): Promise<Conversation> {
    const conversation = await findByIdOrFail(this.em, Conversation, id, 'The conversation', {
      populate: ['contact', 'page'],
    });
    const visible = await this.em.count(Conversation, {
      $and: [{ id: conversation.id }, visibleToFilter(await this.viewer(actor))],
    });
    if (visible === 0) throw new NotFoundError('The conversation');
    return conversation;
  }

  private async viewer(actor: Actor): Promise<Viewer> {
    if (actor.role === 'admin') return { ...actor, departmentIds: [] };
    const user = await this.em.findOneOrFail(User, actor.userId, { populate: ['departments'] });
    const departmentIds = user.departments.getItems().map((department) => department.id);
    return { ...actor, departmentIds };
  }
}
