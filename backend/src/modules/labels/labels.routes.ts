import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import { conversationSchema } from '../conversations/conversations.schemas.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import {
  createLabelSchema,
  labelSchema,
  setConversationLabelsSchema,
  updateLabelSchema,
} from './labels.schemas.js';
import type { LabelsService } from './labels.service.js';

export function registerLabelRoutes(
  router: ApiRouter,
  labels: LabelsService,
  conversations: ConversationsService,
): void {
  router.route({
    method: 'get',
    path: '/api/labels',
    access: 'authenticated',
    tag: 'Labels',
    summary: "The workspace's labels, by name",
    responses: {
      200: { description: 'Every label', schema: z.object({ items: z.array(labelSchema) }) },
    },
    handler: async () => ({ items: await labels.list() }),
  });

  router.route({
    method: 'post',
    path: '/api/labels',
    access: 'authenticated',
    tag: 'Labels',
    summary: 'Create a label (admins)',
    body: createLabelSchema,
    responses: {
      201: { description: 'The new label', schema: labelSchema },
      403: errorResponse('FORBIDDEN'),
      409: errorResponse('LABEL_NAME_TAKEN'),
    },
    handler: ({ actor, body }) => labels.create(actor, body),
  });

  router.route({
    method: 'patch',
    path: '/api/labels/:id',
    access: 'authenticated',
    tag: 'Labels',
    summary: "Rename or recolour a label (admins); its conversations' panels are updated",
    params: idParamsSchema,
    body: updateLabelSchema,
    responses: {
      200: { description: 'The changed label', schema: labelSchema },
      403: errorResponse('FORBIDDEN'),
      404: errorResponse('NOT_FOUND'),
      409: errorResponse('LABEL_NAME_TAKEN'),
    },
    handler: ({ actor, params, body }) => labels.update(actor, params.id, body),
  });

  router.route({
    method: 'delete',
    path: '/api/labels/:id',
    access: 'authenticated',
    tag: 'Labels',
    summary: 'Delete a label (admins): it is taken off every conversation',
    params: idParamsSchema,
    responses: {
      204: { description: 'Deleted' },
      403: errorResponse('FORBIDDEN'),
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => labels.remove(actor, params.id),
  });

  router.route({
    method: 'put',
    path: '/api/conversations/:id/labels',
    access: 'authenticated',
    tag: 'Labels',
    summary: "Replace a conversation's labels (anyone who sees the conversation)",
    params: idParamsSchema,
    body: setConversationLabelsSchema,
    responses: {
      200: { description: 'The conversation as it is now', schema: conversationSchema },
      400: errorResponse('UNKNOWN_LABEL | VALIDATION_FAILED'),
      404: errorResponse('NOT_FOUND'),
    },
    handler: async ({ actor, params, body }) => {
      await labels.setOnConversation(actor, params.id, body);
      return conversations.afterChange(params.id);
    },
  });
}
