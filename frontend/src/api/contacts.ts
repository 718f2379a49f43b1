import { http } from './http';
import type { Contact } from './types';

/** The visitor with their episodes, oldest first; 404 when you may not see their conversation. */
export function getContact(id: string): Promise<Contact> {
  return http.get(`/api/contacts/${encodeURIComponent(id)}`);
}
