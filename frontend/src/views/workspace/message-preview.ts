import type { Message } from '@/api/types';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** One line for the chat list: the text, or what kind of thing was sent. */
export function messagePreview(message: Message | null, t: Translate): string {
  if (!message) return '';
  const prefix =
    message.direction === 'out'
      ? `${t('workspace.youPrefix')} `
      : message.direction === 'internal'
        ? `${t('notes.previewPrefix')} `
        : '';
  const body = message.text?.trim() || t(`messageKinds.${message.kind}`);
  return `${prefix}${body}`;
}
