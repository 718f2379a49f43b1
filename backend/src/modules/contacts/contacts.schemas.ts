import { z } from 'zod';
import type { Contact } from '../conversations/contact.entity.js';
import { toContactSummary } from '../conversations/conversations.schemas.js';
import type { Episode } from './contact-episodes.js';

export const episodeSchema = z
  .object({
    conversationId: z.string(),
    openedAt: z.iso.datetime(),
    closedAt: z.iso.datetime().nullable().meta({ description: 'null: the one still open' }),
    operatorId: z.string().nullable().meta({ description: 'Who served it (null: nobody did)' }),
    firstMessageId: z.string().nullable().meta({
      description: 'Its first message: open the history `around` it to read the episode',
    }),
  })
  .meta({ id: 'ContactEpisode' });

export const contactSchema = z
  .object({
    id: z.string(),
    psid: z.string(),
    name: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    pageId: z.string().meta({ description: "Omni's page `id` (the page the visitor wrote to)" }),
    pageName: z.string(),
    firstContactAt: z.iso.datetime(),
    lastInboundAt: z.iso.datetime().nullable(),
    episodes: z.array(episodeSchema).meta({
      description:
        'Each open→close stretch of their conversations with the page, oldest first, from the event log',
    }),
  })
  .meta({ id: 'Contact' });

export type ContactDto = z.infer<typeof contactSchema>;

export function toContactDto(
  contact: Contact,
  episodes: (Episode & { firstMessageId: string | null })[],
): ContactDto {
  return {
    ...toContactSummary(contact),
    pageId: contact.page.id,
    pageName: contact.page.pageName,
    lastInboundAt: contact.lastInboundAt?.toISOString() ?? null,
    episodes: episodes.map((episode) => ({
      conversationId: episode.conversationId,
      openedAt: episode.openedAt.toISOString(),
      closedAt: episode.closedAt?.toISOString() ?? null,
      operatorId: episode.operatorId,
      firstMessageId: episode.firstMessageId,
    })),
  };
}
