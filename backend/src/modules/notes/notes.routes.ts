import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import { messageSchema } from '../conversations/conversations.schemas.js';
import { createNoteSchema, mentionableColleaguesSchema } from './notes.schemas.js';
import type { NotesService } from './notes.service.js';

export function registerNoteRoutes(router: ApiRouter, notes: NotesService): void {
  router.route({
    method: 'post',
    path: '/api/conversations/:id/notes',
    access: 'authenticated',
    tag: 'Notes',
    summary:
      'Write a private note for colleagues (never sent to the visitor); "@" + a name or `mentions` notify colleagues (`mention.created`)',
    params: idParamsSchema,
    body: createNoteSchema,
    responses: {
      201: {
        description:
          'The note: kind "note", direction "internal", with its mentions. Everyone who sees the conversation gets it as `message.created`; each mentioned user also gets the socket event `mention.created` `{conversationId, message (this note), mentionedBy: {id, name} | null, contactName}`.',
        schema: messageSchema,
      },
      400: errorResponse(
        'VALIDATION_FAILED | INVALID_MENTION: an id in `mentions` is not a colleague who can see the conversation (details.userIds)',
      ),
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params, body }) => notes.create(actor, params.id, body),
  });

  router.route({
    method: 'get',
    path: '/api/conversations/:id/mentionable',
    access: 'authenticated',
    tag: 'Notes',
    summary:
      "The caller's colleagues who may see the conversation now: whom a note can mention (by name)",
    params: idParamsSchema,
    responses: {
      200: { description: 'By name', schema: mentionableColleaguesSchema },
      404: errorResponse('NOT_FOUND'),
    },
    handler: async ({ actor, params }) => ({
      items: await notes.mentionable(actor, params.id),
    }),
  });
}
