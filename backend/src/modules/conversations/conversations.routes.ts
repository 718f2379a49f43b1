import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import {
  conversationListItemSchema,
  conversationSchema,
  listConversationsQuerySchema,
  listMessagesQuerySchema,
  messagePageSchema,
  pageOf,
} from './conversations.schemas.js';
import type { ConversationsService } from './conversations.service.js';

export function registerConversationRoutes(
  router: ApiRouter,
  conversations: ConversationsService,
): void {
  router.route({
    method: 'get',
    path: '/api/conversations',
    access: 'authenticated',
    tag: 'Conversations',
    summary: 'Conversations you may see: the queue oldest first, others most recent first',
    query: listConversationsQuerySchema,
    responses: {
      200: {
        description: 'A page of conversations',
        schema: pageOf(conversationListItemSchema),
      },
      400: errorResponse(
        'VALIDATION_FAILED: a bad filter or cursor; INVALID_PERIOD: `to` is not after `from`',
      ),
    },
    handler: ({ actor, query }) => conversations.list(actor, query),
  });

  router.route({
    method: 'get',
    path: '/api/conversations/:id',
    access: 'authenticated',
    tag: 'Conversations',
    summary: 'One conversation with its visitor, page and reply window',
    params: idParamsSchema,
    responses: {
      200: { description: 'The conversation', schema: conversationSchema },
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => conversations.get(actor, params.id),
  });

  router.route({
    method: 'get',
    path: '/api/conversations/:id/messages',
    access: 'authenticated',
    tag: 'Conversations',
    summary:
      'The history, newest page first (each page in time order); nextCursor goes further back. With `around`, the page around one message; `newerCursor` (as `after`) continues forward',
    params: idParamsSchema,
    query: listMessagesQuerySchema,
    responses: {
      200: { description: 'A page of messages', schema: messagePageSchema },
      400: errorResponse(
        'VALIDATION_FAILED: a bad cursor, or more than one of cursor/after/around',
      ),
      404: errorResponse('NOT_FOUND: the conversation, or `around` is not one of its messages'),
    },
    handler: ({ actor, params, query }) => conversations.listMessages(actor, params.id, query),
  });
}
