import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { sqlIn, sqlTransaction, type Sql } from '../../db/sql.js';
import { BadRequestError, NotFoundError } from '../../errors.js';
import { appendToOutbox, type DispatchCommitted } from '../../outbox/outbox.js';
import { assertUser, type Actor, type UserActor } from '../auth/actor.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import { isVisibleTo } from '../conversations/conversation-visibility.js';
import {
  toMessageDto,
  type FileLinker,
  type MessageDto,
} from '../conversations/conversations.schemas.js';
import { Message } from '../conversations/message.entity.js';
import { findMentionedColleagues, type Colleague } from './note-mentions.js';
import { NotesRepository, type TenantMember } from './notes.repository.js';
import type { NoteInput } from './notes.schemas.js';

/** A note written in a transaction, and what its commit must cause. */
export type WrittenNote = { noteId: string; outboxEntryIds: string[] };

/**
 * Private notes: what colleagues write in a conversation for each other. Anyone who may see
 * the conversation may write one (holder or not, open or closed). A note is a message of
 * direction "internal": shown to the panels like any message, never sent to Messenger (no
 * send job is ever asked for it), never a reply (first-response checks and statistics count
 * only direction "out"), and it does not touch the unread count or the list order.
 */
export class NotesService {
  constructor(
    private readonly em: EntityManager,
    private readonly conversations: Pick<ConversationsService, 'findVisible'>,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly linkFile: FileLinker,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(actor: Actor, conversationId: string, input: NoteInput): Promise<MessageDto> {
    assertUser(actor);
    const written = await sqlTransaction(this.em, async (sql) => {
      // 404 unless the actor may see it; locked, so a transfer meanwhile is seen whole.
      const conversation = await new ConversationStore(sql, this.clock).lockVisible(
        actor,
        conversationId,
      );
      return writeNote(sql, actor, conversation.id, input, this.clock());
    });
    await this.dispatchCommitted(written.outboxEntryIds);
    const note = await this.em.findOneOrFail(Message, written.noteId);
    return toMessageDto(note, this.linkFile);
  }

  /** Who the actor may mention in this conversation now, by name (the composer's `@` list). */
  async mentionable(actor: Actor, conversationId: string): Promise<Colleague[]> {
    await this.conversations.findVisible(actor, conversationId); // 404 unless visible
    const colleagues = await colleaguesWhoSee(sqlIn(this.em), actor, conversationId);
    return colleagues
      .map(({ id, name }) => ({ id, name }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }
}

/**
 * Writes a note in `sql`'s transaction, with its 'note-stored' outbox entry: alone, or with
 * the transfer it explains (RoutingService), so the receiver finds it as the newest message.
 * The caller checked that the actor may see the conversation.
 *
 * Mentions: the colleagues named in the text as "@" + their name, and the ids in `mentions`.
 * Only users of the tenant who may see the conversation as it is now can be mentioned: an id
 * of anyone else is refused (400 INVALID_MENTION), a name of anyone else in the text is just
 * text. The author is never mentioned.
 */
export async function writeNote(
  sql: Sql,
  actor: UserActor,
  conversationId: string,
  input: NoteInput,
  now: Date,
): Promise<WrittenNote> {
  const notes = new NotesRepository(sql);
  const colleagues = await colleaguesWhoSee(sql, actor, conversationId);
  const mentions = resolveMentions(input, colleagues, actor.userId);
  const noteId = uuidv7();
  await notes.insert(actor.tenantId, {
    id: noteId,
    conversationId,
    authorId: actor.userId,
    text: input.text,
    mentions,
    occurredAt: now,
  });
  const outboxEntryIds = await appendToOutbox(sql, [
    {
      tenantId: actor.tenantId,
      kind: 'note-stored',
      payload: { conversationId, messageId: noteId, mentionedUserIds: mentions },
    },
  ]);
  return { noteId, outboxEntryIds };
}

/** The actor's colleagues (not the actor) who may see the conversation as it is in `sql`. */
async function colleaguesWhoSee(
  sql: Sql,
  actor: Actor,
  conversationId: string,
): Promise<TenantMember[]> {
  const notes = new NotesRepository(sql);
  const place = await notes.conversationPlace(actor.tenantId, conversationId);
  if (!place) throw new NotFoundError('The conversation');
  return (await notes.members(actor.tenantId)).filter(
    (member) =>
      member.id !== actor.userId &&
      isVisibleTo(
        { userId: member.id, role: member.role, departmentIds: member.departmentIds },
        place,
      ),
  );
}

/** The ids given, then those named in the text; each once. */
function resolveMentions(input: NoteInput, colleagues: TenantMember[], authorId: string): string[] {
  const mentionable = new Set(colleagues.map((colleague) => colleague.id));
  const given = [...new Set(input.mentions ?? [])].filter((id) => id !== authorId);
  const refused = given.filter((id) => !mentionable.has(id));
  if (refused.length > 0) {
    throw new BadRequestError(
      'INVALID_MENTION',
      'Only colleagues who can see this conversation can be mentioned.',
      { userIds: refused },
    );
  }
  const named = findMentionedColleagues(input.text, colleagues);
  return [...new Set([...given, ...named])];
}
