import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import { conversationSchema } from '../conversations/conversations.schemas.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import {
  assignSchema,
  conversationEventSchema,
  queueFiguresSchema,
  transferSchema,
} from './routing.schemas.js';
import type { RoutingService } from './routing.service.js';
import type { QueueFiguresService } from './queue-figures.service.js';
import {
  queueStatsQuerySchema,
  queueStatsSchema,
  type QueueStatsService,
} from './queue-stats.service.js';

export function registerRoutingRoutes(
  router: ApiRouter,
  {
    routing,
    conversations,
    queueFigures,
    queueStats,
  }: {
    routing: RoutingService;
    conversations: ConversationsService;
    queueFigures: QueueFiguresService;
    queueStats: QueueStatsService;
  },
): void {
  router.route({
    method: 'get',
    path: '/api/queue/stats',
    access: 'supervisor',
    tag: 'Queue',
    summary:
      'Figures over a period: service level, speed of answer, handling time, unserved chats, chats per operator',
    query: queueStatsQuerySchema,
    responses: {
      200: { description: 'For the period asked', schema: queueStatsSchema },
      400: errorResponse('VALIDATION_FAILED: a bad or too long period'),
    },
    handler: ({ actor, query }) => queueStats.over(actor, query),
  });

  router.route({
    method: 'get',
    path: '/api/queue',
    access: 'authenticated',
    tag: 'Queue',
    summary:
      "The live queue: per department waiting, longest wait, in progress, operators online and free slots; every operator's load",
    responses: { 200: { description: 'As of `at`', schema: queueFiguresSchema } },
    handler: ({ actor }) => queueFigures.current(actor.tenantId),
  });

  const changed = { description: 'The conversation as it is now', schema: conversationSchema };

  router.route({
    method: 'post',
    path: '/api/conversations/:id/take',
    access: 'authenticated',
    tag: 'Queue',
    summary: 'Take a waiting conversation (you must be online or away, with room)',
    params: idParamsSchema,
    responses: {
      200: changed,
      404: errorResponse('NOT_FOUND'),
      409: errorResponse('ALREADY_ASSIGNED | AT_CAPACITY | OPERATOR_OFFLINE | CONVERSATION_CLOSED'),
    },
    handler: async ({ actor, params }) => {
      await routing.take(actor, params.id);
      return conversations.afterChange(params.id);
    },
  });

  router.route({
    method: 'post',
    path: '/api/conversations/:id/transfer',
    access: 'authenticated',
    tag: 'Queue',
    summary:
      "Hand a conversation to an operator (with room) or to a department's queue, optionally with a note for them",
    params: idParamsSchema,
    body: transferSchema,
    responses: {
      200: changed,
      400: errorResponse(
        'VALIDATION_FAILED: give operatorId or departmentId (and a non-empty note, if any)',
      ),
      403: errorResponse('FORBIDDEN: the chat is held by someone else'),
      404: errorResponse('NOT_FOUND: the conversation, operator or department'),
      409: errorResponse('ALREADY_ASSIGNED | AT_CAPACITY | OPERATOR_OFFLINE | CONVERSATION_CLOSED'),
    },
    handler: async ({ actor, params, body }) => {
      await routing.transfer(actor, params.id, body);
      return conversations.afterChange(params.id);
    },
  });

  router.route({
    method: 'post',
    path: '/api/conversations/:id/close',
    access: 'authenticated',
    tag: 'Queue',
    summary: 'Close a conversation (it reopens when the visitor writes again)',
    params: idParamsSchema,
    responses: {
      200: changed,
      403: errorResponse('FORBIDDEN: the chat is held by someone else'),
      404: errorResponse('NOT_FOUND'),
    },
    handler: async ({ actor, params }) => {
      await routing.close(actor, params.id);
      return conversations.afterChange(params.id);
    },
  });

  router.route({
    method: 'post',
    path: '/api/conversations/:id/assign',
    access: 'supervisor',
    tag: 'Queue',
    summary:
      "Steer: give a waiting or held conversation to an operator of its department (yourself: take it over); admins, and supervisors for their departments' chats",
    params: idParamsSchema,
    body: assignSchema,
    responses: {
      200: {
        description: 'The conversation, now held by that operator',
        schema: conversationSchema,
      },
      400: errorResponse('VALIDATION_FAILED'),
      403: errorResponse("FORBIDDEN: not an admin, or not a supervisor of the chat's department"),
      404: errorResponse('NOT_FOUND: the conversation or the operator'),
      409: errorResponse(
        'ALREADY_ASSIGNED | AT_CAPACITY (unless force) | OPERATOR_OFFLINE | NOT_IN_DEPARTMENT | CONVERSATION_CLOSED',
      ),
    },
    handler: async ({ actor, params, body }) => {
      await routing.assign(actor, params.id, body);
      return conversations.afterChange(params.id);
    },
  });

  router.route({
    method: 'post',
    path: '/api/conversations/:id/reopen',
    access: 'authenticated',
    tag: 'Queue',
    summary:
      'Follow up: take a closed conversation back to write to the visitor (inside the reply window, with room)',
    params: idParamsSchema,
    responses: {
      200: { description: 'The conversation, now yours', schema: conversationSchema },
      404: errorResponse('NOT_FOUND'),
      409: errorResponse(
        'CONVERSATION_NOT_CLOSED | VISITOR_HAS_OPEN_CONVERSATION | AT_CAPACITY | OPERATOR_OFFLINE',
      ),
      422: errorResponse('REPLY_WINDOW_CLOSED, with details.closedAt'),
    },
    handler: async ({ actor, params }) => {
      await routing.reopen(actor, params.id);
      return conversations.afterChange(params.id);
    },
  });

  router.route({
    method: 'get',
    path: '/api/conversations/:id/events',
    access: 'authenticated',
    tag: 'Queue',
    summary: "The conversation's queue history: assignments, transfers, requeues, closes",
    params: idParamsSchema,
    responses: {
      200: {
        description: 'Oldest first',
        schema: z.object({ items: z.array(conversationEventSchema) }),
      },
      404: errorResponse('NOT_FOUND'),
    },
    handler: async ({ actor, params }) => {
      await conversations.findVisible(actor, params.id); // 404 unless the actor may see it
      return { items: await routing.history(params.id) };
    },
  });
}
