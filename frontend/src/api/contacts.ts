import { http } from './http';
import type { Contact } from './types';

/** The visitor with their episodes, oldest first; 404 when you may not see their conversation. */
export function getContact(id: string): Promise<Contact> {
  return http.get(`/api/contacts/${encodeURIComponent(id)}`);
}

/**
 * Erases the visitor's data (admins): messages, files, name, photo and PSID go; their
 * conversations stay as anonymous stubs. The panels get them through `conversation.updated`.
 */
export function eraseContact(id: string): Promise<void> {
  return http.delete(`/api/contacts/${encodeURIComponent(id)}`);
}
