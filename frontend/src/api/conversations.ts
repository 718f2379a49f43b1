import { http } from './http';
import type {
  AssignTarget,
  Conversation,
  ConversationEvent,
  ConversationStatus,
  Message,
  MessagePage,
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
  operatorId?: string;
  /** Omni's page id. */
  pageId?: string;
  /** Last activity at or after / before these ISO instants. */
  from?: string;
  to?: string;
  /** Visitor name or message text; hits that matched a message carry `match`. */
  q?: string;
  /** Only conversations carrying this label. */
  labelId?: string;
  cursor?: string;
}

const FILTER_PARAMS = [
  'departmentId',
  'operatorId',
  'pageId',
  'from',
  'to',
  'q',
  'labelId',
  'cursor',
] as const;

/** The queue comes oldest first, every other list most recently active first. */
export function listConversations(
  filter: ConversationFilter = {},
): Promise<ResponseBody<'/api/conversations', 'get'>> {
  const query = new URLSearchParams();
  if (filter.status) query.set('status', filter.status);
  if (filter.mine) query.set('mine', 'true');
  for (const name of FILTER_PARAMS) {
    const value = filter[name];
    if (value) query.set(name, value);
  }
  const search = query.toString();
  return http.get(`/api/conversations${search ? `?${search}` : ''}`);
}

export function getConversation(id: string): Promise<Conversation> {
  return http.get(`/api/conversations/${encode(id)}`);
}

/** Where a page of history is: the newest, before `cursor`, after `after`, or `around` a message. */
export type HistoryPosition = { cursor?: string; after?: string; around?: string };

/**
 * Newest page first (each page in time order); nextCursor reaches further back, newerCursor
 * (as `after`) forward from a page opened `around` a message.
 */
export function listMessages(id: string, position: HistoryPosition = {}): Promise<MessagePage> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(position)) if (value) query.set(name, value);
  const search = query.toString();
  return http.get(`/api/conversations/${encode(id)}/messages${search ? `?${search}` : ''}`);
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

/**
 * Steering (admins; supervisors for their departments' chats): the operator gets the chat,
 * beyond their capacity with `force`. 409 AT_CAPACITY, OPERATOR_OFFLINE, NOT_IN_DEPARTMENT.
 */
export function assignConversation(id: string, target: AssignTarget): Promise<Conversation> {
  return http.post(`/api/conversations/${encode(id)}/assign`, target);
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

/**
 * Handover protocol: asks for the visitor's thread while the page's bot controls it. `taken`:
 * it was idle and is Omni's now; `requested`: the bot decides (its pass updates the chat).
 */
export async function requestThreadControl(id: string): Promise<'taken' | 'requested'> {
  const { outcome } = await http.post<
    ResponseBody<'/api/conversations/{id}/thread-control/request', 'post'>
  >(`/api/conversations/${encode(id)}/thread-control/request`);
  return outcome;
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

/** Replaces the conversation's labels; 400 UNKNOWN_LABEL when one was deleted meanwhile. */
export function setConversationLabels(id: string, labelIds: string[]): Promise<Conversation> {
  return http.put(`/api/conversations/${encode(id)}/labels`, { labelIds });
}
