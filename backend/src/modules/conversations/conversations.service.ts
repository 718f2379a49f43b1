import type { EntityManager } from '@mikro-orm/postgresql';
import { findByIdOrFail } from '../../db/find.js';
import { sqlIn } from '../../db/sql.js';
import { NotFoundError } from '../../errors.js';
import { encodeKeysetCursor, type KeysetCursor } from '../../http/cursor.js';
import { requireUser, type Actor } from '../auth/actor.js';
import {
  ConversationListRepository,
  type ConversationListFilter,
} from './conversation-list.repository.js';
import { isVisibleTo, loadViewer } from './conversation-visibility.js';
import { Conversation } from './conversation.entity.js';
import {
  toMessageDto,
  type ConversationDto,
  type ConversationListItemDto,
  type FileLinker,
  type ListConversationsQuery,
  type ListMessagesQuery,
  type MessagePageDto,
} from './conversations.schemas.js';
import { presentConversations } from './conversation-records.js';
import { Message } from './message.entity.js';
import { makeSnippet } from './search-snippet.js';

const PAGE_SIZE = 50;
/** Messages on each side of the one a page is opened around. */
const AROUND = 25;

const cursorOf = (message: Message | undefined) =>
  message ? encodeKeysetCursor({ at: message.occurredAt, id: message.id }) : null;

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
   * and their own; admins see everything. `q` finds visitors by name and conversations by
   * message text; a hit through a message carries that message and an excerpt.
   */
  async list(actor: Actor, query: ListConversationsQuery): Promise<Page<ConversationListItemDto>> {
    const order = query.status === 'queued' ? 'queue' : 'recent';
    const filter: ConversationListFilter = {
      status: query.status,
      // An API token holds no chats: `mine` needs a person (403 USER_SESSION_REQUIRED).
      heldBy: query.mine === 'true' ? requireUser(actor).userId : undefined,
      departmentId: query.departmentId,
      operatorId: query.operatorId,
      pageId: query.pageId,
      from: query.from,
      to: query.to,
      labelId: query.labelId,
      text: query.q || undefined,
    };
    const listed = await new ConversationListRepository(sqlIn(this.em)).findPage(
      actor.tenantId,
      await loadViewer(this.em, actor),
      filter,
      order,
      query.cursor,
      PAGE_SIZE + 1,
    );
    const hasMore = listed.length > PAGE_SIZE;
    const rows = listed.slice(0, PAGE_SIZE);
    const conversations = await this.em.find(
      Conversation,
      { id: { $in: rows.map((row) => row.id) } },
      { populate: ['contact', 'page'] },
    );
    const records = await presentConversations(
      this.em,
      actor.tenantId,
      conversations,
      this.clock(),
      this.linkFile,
    );
    const last = rows.at(-1);
    return {
      items: rows.flatMap((row) => {
        const dto = records.get(row.id);
        if (!dto) return [];
        if (!row.match || !filter.text) return [dto];
        const { messageId, text } = row.match;
        return [{ ...dto, match: { messageId, snippet: makeSnippet(text, filter.text) } }];
      }),
      nextCursor:
        hasMore && last ? encodeKeysetCursor({ at: last.at ?? new Date(0), id: last.id }) : null,
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
    const records = await presentConversations(
      this.em,
      conversation.tenant.id,
      [conversation],
      this.clock(),
      this.linkFile,
    );
    return records.get(conversation.id)!;
  }

  /**
   * The history: the newest messages first page by page (the panel scrolls upwards), each
   * page in time order; or the page around one message (a search hit, an earlier episode),
   * from which `nextCursor` goes back and `newerCursor` (as `after`) forward.
   */
  async listMessages(
    actor: Actor,
    conversationId: string,
    query: ListMessagesQuery = {},
  ): Promise<MessagePageDto> {
    const conversation = await this.findVisible(actor, conversationId);
    if (query.around) return this.messagesAround(conversation, query.around);
    if (query.after) {
      const newer = await this.messagesNextTo(conversation, query.after, 'after', PAGE_SIZE + 1);
      const items = newer.slice(0, PAGE_SIZE);
      return {
        items: items.map((message) => toMessageDto(message, this.linkFile)),
        nextCursor: null,
        newerCursor: newer.length > PAGE_SIZE ? cursorOf(items.at(-1)) : null,
      };
    }
    const older = await this.messagesNextTo(conversation, query.cursor, 'before', PAGE_SIZE + 1);
    const items = older.slice(0, PAGE_SIZE);
    return {
      items: items.reverse().map((message) => toMessageDto(message, this.linkFile)),
      nextCursor: older.length > PAGE_SIZE ? cursorOf(items[0]) : null,
      newerCursor: null,
    };
  }

  private async messagesAround(
    conversation: Conversation,
    messageId: string,
  ): Promise<MessagePageDto> {
    // A message of another conversation (or tenant) is not found here, like an unknown one.
    const anchor = await this.em.findOne(Message, { id: messageId, conversation });
    if (!anchor) throw new NotFoundError('The message');
    const position = { at: anchor.occurredAt, id: anchor.id };
    const [before, after] = await Promise.all([
      this.messagesNextTo(conversation, position, 'before', AROUND + 1),
      this.messagesNextTo(conversation, position, 'after', AROUND + 1),
    ]);
    const older = before.slice(0, AROUND).reverse();
    const newer = after.slice(0, AROUND);
    return {
      items: [...older, anchor, ...newer].map((message) => toMessageDto(message, this.linkFile)),
      nextCursor: before.length > AROUND ? cursorOf(older[0]) : null,
      newerCursor: after.length > AROUND ? cursorOf(newer.at(-1)) : null,
    };
  }

  /**
   * Up to `limit` messages on one side of a position, nearest first (without a position:
   * the newest).
   */
  private messagesNextTo(
    conversation: Conversation,
    position: KeysetCursor | undefined,
    side: 'before' | 'after',
    limit: number,
  ): Promise<Message[]> {
    const comparison = side === 'before' ? '$lt' : '$gt';
    const direction = side === 'before' ? 'desc' : 'asc';
    return this.em.find(
      Message,
      {
        conversation,
        ...(position
          ? {
              $or: [
                { occurredAt: { [comparison]: position.at } },
                { occurredAt: position.at, id: { [comparison]: position.id } },
              ],
            }
          : {}),
      },
      { orderBy: [{ occurredAt: direction }, { id: direction }], limit },
    );
  }

  /**
   * The conversation (with its contact and page), if the actor may see it; 404 otherwise.
   * For a check before a change: cheaper than `get`, which also reads what the record shows.
   */
  async findVisible(actor: Actor, id: string): Promise<Conversation> {
    const conversation = await findByIdOrFail(this.em, Conversation, id, 'The conversation', {
      populate: ['contact', 'page'],
    });
    const facts = {
      departmentId: conversation.department?.id ?? null,
      operatorId: conversation.operator?.id ?? null,
    };
    // The actor's departments matter only for another's chat of a department: read them then.
    const viewer = isVisibleTo({ ...actor, departmentIds: [] }, facts)
      ? null
      : await loadViewer(this.em, actor);
    if (viewer && !isVisibleTo(viewer, facts)) throw new NotFoundError('The conversation');
    return conversation;
  }
}
