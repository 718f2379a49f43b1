import { http } from './http';
import type { Colleague, Message, NoteInput, ResponseBody } from './types';

const encode = encodeURIComponent;

/** 201 the note; 400 INVALID_MENTION when an id in `mentions` cannot see the chat. */
export function createNote(conversationId: string, input: NoteInput): Promise<Message> {
  return http.post<Message>(`/api/conversations/${encode(conversationId)}/notes`, input);
}

/** The colleagues who may see the chat now, by name: whom `@` can mention. */
export async function listMentionable(conversationId: string): Promise<Colleague[]> {
  const { items } = await http.get<ResponseBody<'/api/conversations/{id}/mentionable', 'get'>>(
    `/api/conversations/${encode(conversationId)}/mentionable`,
  );
  return items;
}
