import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import type { ConversationStatus } from '../modules/conversations/conversation.entity.js';
import type {
  MessageDirection,
  MessageKind,
  MessageSource,
  MessageStatus,
} from '../modules/conversations/message.entity.js';

/** A line of a written chat; `receivedAt` (created_at) defaults to `at`. */
export type ChatLine = {
  direction: MessageDirection;
  at: Date;
  source?: MessageSource;
  kind?: MessageKind;
  status?: MessageStatus | null;
  receivedAt?: Date;
};

/**
 * A conversation in any state, with its history at any times, written straight into
 * PostgreSQL: back-dated rows stand in for a clock that ran on (reply windows, silences).
 * The visitor's reply window opens at their last inbound line, as the inbound path sets it.
 */
export async function writeChat(
  em: EntityManager,
  chat: {
    tenantId: string;
    pageRecordId: string;
    departmentId?: string | null;
    status: ConversationStatus;
    operatorId?: string | null;
    assignedAt?: Date | null;
    closedAt?: Date | null;
    lines: ChatLine[];
  },
): Promise<string> {
  const contactId = uuidv7();
  const conversationId = uuidv7();
  const inbound = chat.lines.filter((line) => line.direction === 'in');
  const lastInboundAt = inbound.length
    ? new Date(Math.max(...inbound.map((line) => line.at.getTime())))
    : null;
  const lastMessageAt = chat.lines.length
    ? new Date(Math.max(...chat.lines.map((line) => line.at.getTime())))
    : null;
  const connection = em.getConnection();
  await connection.execute(
    'insert into contact (id, tenant_id, page_id, psid, last_inbound_at) values (?, ?, ?, ?, ?)',
    [contactId, chat.tenantId, chat.pageRecordId, `psid-${contactId}`, lastInboundAt],
  );
  await connection.execute(
    `insert into conversation (id, tenant_id, contact_id, page_id, department_id, status,
       operator_id, last_operator_id, queued_at, assigned_at, closed_at, last_message_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      conversationId,
      chat.tenantId,
      contactId,
      chat.pageRecordId,
      chat.departmentId ?? null,
      chat.status,
      chat.operatorId ?? null,
      chat.operatorId ?? null,
      chat.lines[0]?.at ?? new Date(),
      chat.assignedAt ?? null,
      chat.closedAt ?? null,
      lastMessageAt,
    ],
  );
  for (const line of chat.lines) {
    const source = line.source ?? (line.direction === 'in' ? 'visitor' : 'operator');
    await connection.execute(
      `insert into message (id, tenant_id, conversation_id, page_id, direction, source, kind,
         text, dedup_key, occurred_at, created_at, operator_id, status)
       values (?, ?, ?, ?, ?, ?, ?, 'Hello', ?, ?, ?, ?, ?)`,
      [
        uuidv7(),
        chat.tenantId,
        conversationId,
        chat.pageRecordId,
        line.direction,
        source,
        line.kind ?? 'text',
        uuidv7(),
        line.at,
        line.receivedAt ?? line.at,
        source === 'operator' ? (chat.operatorId ?? null) : null,
        line.status ?? (line.direction === 'out' ? 'sent' : null),
      ],
    );
  }
  return conversationId;
}

/** `hours` hours before (negative: after) `from`. */
export const hoursAgo = (hours: number, from = Date.now()) => new Date(from - hours * 3_600_000);
