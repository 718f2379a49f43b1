import type { Conversation } from '@/api/types';

/**
 * How the panel calls a visitor: their name as the server gives it, except an erased one,
 * whom it calls so in the panel's own language (the server's word is English).
 */
export function visitorName(
  contact: Pick<Conversation['contact'], 'name' | 'erased'>,
  t: (key: string) => string,
): string {
  return contact.erased ? t('visitor.erasedName') : contact.name;
}
