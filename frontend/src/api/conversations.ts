import { http } from './http';
import type {
  Conversation,
  ConversationEvent,
  ConversationStatus,
  Message,
  QueueFigures,
  QueueStats,
  ResponseBody,
  TransferTarget,
} from './types';

const encode = encodeURIComponent;

export interface ConversationFilter {
  status?: ConversationStatus;
  /** Only the chats the signed-in user holds. */
  mine?: boolean;
  departmentId?: string;
  /** Visitor name or message text. */
  q?: string;
  cursor?: string;
}

/** The queue comes oldest first, every other list most recently active first. */
export function listConversations(
  filter: ConversationFilter = {},
): Promise<ResponseBody<'/api/conversations', 'get'>> {
  const query = new URLSearchParams();
  if (filter.status) query.set('status', filter.status);
  if (filter.mine) query.set('mine', 'true');
  if (filter.departmentId) query.set('departmentId', filter.departmentId);
  if (filter.q) query.set('q', filter.q);
  if (filter.cursor) query.set('cursor', filter.cursor);
  const search = query.toString();
  return http.get(`/api/conversations${search ? `?${search}` : ''}`);
}

export function getConversation(id: string): Promise<Conversation> {
  return http.get(`/api/conversations/${encode(id)}`);
}

/** Newest page first (each page in time order); nextCursor reaches further back. */
export function listMessages(
  id: string,
  cursor?: string,
): Promise<ResponseBody<'/api/conversations/{id}/messages', 'get'>> {
  const query = cursor ? `?cursor=${encode(cursor)}` : '';
  return http.get(`/api/conversations/${encode(id)}/messages${query}`);
}

export async function listConversationEvents(id: string): Promise<ConversationEvent[]> {
  const { items } = await http.get<ResponseBody<'/api/conversations/{id}/events', 'get'>>(
    `/api/conversations/${encode(id)}/events`,
  );
  return items;
}

/** 409 ALREADY_ASSIGNED when someone was faster, AT_CAPACITY when you are full. */
export function takeConversation(id: string): Promise<Conversation> {
  return http.post(`/api/conversations/${encode(id)}/take`);
}

export function transferConversation(id: string, target: TransferTarget): Promise<Conversation> {
  return http.post(`/api/conversations/${encode(id)}/transfer`, target);
}

/**
 * Follow-up: a closed chat becomes yours again. 422 REPLY_WINDOW_CLOSED once nothing could be
 * sent; 409 AT_CAPACITY, CONVERSATION_NOT_CLOSED or VISITOR_HAS_OPEN_CONVERSATION.
 */
export function reopenConversation(id: string): Promise<Conversation> {
  return http.post(`/api/conversations/${encode(id)}/reopen`);
}

export function closeConversation(id: string): Promise<Conversation> {
  return http.post(`/api/conversations/${encode(id)}/close`);
}

/** 202 with the pending message; 422 REPLY_WINDOW_CLOSED outside the allowed window. */
export function sendReply(id: string, text: string): Promise<Message> {
  return http.post(`/api/conversations/${encode(id)}/messages`, { text });
}

export function sendFile(id: string, file: File): Promise<Message> {
  const form = new FormData();
  form.append('file', file);
  return http.post(`/api/conversations/${encode(id)}/attachments`, form);
}

export function retryMessage(messageId: string): Promise<Message> {
  return http.post(`/api/messages/${encode(messageId)}/retry`);
}

/** Clears your unread count and shows the visitor "seen". */
export function markSeen(id: string): Promise<void> {
  return http.post(`/api/conversations/${encode(id)}/seen`);
}

/** Shows the visitor "typing…"; the server throttles it. */
export function sendTyping(id: string): Promise<void> {
  return http.post(`/api/conversations/${encode(id)}/typing`);
}

export function getQueueFigures(): Promise<QueueFigures> {
  return http.get('/api/queue');
}

/** Figures over a period from the conversation log (admins). */
export function getQueueStats(period: { from: string; to: string }): Promise<QueueStats> {
  const query = new URLSearchParams(period).toString();
  return http.get(`/api/queue/stats?${query}`);
}
