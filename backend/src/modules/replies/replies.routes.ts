import multer from '@koa/multer';
import { z } from 'zod';
import { AppError, ValidationError } from '../../errors.js';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import { messageSchema } from '../conversations/conversations.schemas.js';
import type { RepliesService } from './replies.service.js';
import type { SenderActionsService } from './sender-actions.service.js';

/** Messenger's limit on a text message. */
const MAX_TEXT_LENGTH = 2000;
/** Messenger's limit on an attachment. */
const MAX_FILE_BYTES = 25 * 1024 * 1024;

/** Reads one multipart file field into memory, refusing what Messenger would refuse. */
const readFile = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5 },
}).single('file');

const replySchema = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'Write something first.')
    .max(MAX_TEXT_LENGTH, `Messenger accepts at most ${MAX_TEXT_LENGTH} characters.`),
});

export function registerReplyRoutes(
  router: ApiRouter,
  replies: RepliesService,
  senderActions: SenderActionsService,
): void {
  router.route({
    method: 'post',
    path: '/api/conversations/:id/seen',
    access: 'authenticated',
    tag: 'Replies',
    summary:
      'The operator opened the chat: clears their unread count; the visitor sees "seen" (best effort)',
    params: idParamsSchema,
    responses: {
      202: { description: 'Done; the "seen" is on its way', schema: z.object({}) },
      404: errorResponse('NOT_FOUND'),
    },
    handler: async ({ actor, params }) => {
      await senderActions.markSeen(actor, params.id);
      return {};
    },
  });

  router.route({
    method: 'post',
    path: '/api/conversations/:id/typing',
    access: 'authenticated',
    tag: 'Replies',
    summary: 'The operator is typing: the visitor sees "typing…" (throttled, best effort)',
    params: idParamsSchema,
    responses: {
      202: { description: 'Noted', schema: z.object({}) },
      404: errorResponse('NOT_FOUND'),
    },
    handler: async ({ actor, params }) => {
      await senderActions.typing(actor, params.id);
      return {};
    },
  });

  router.route({
    method: 'post',
    path: '/api/conversations/:id/messages',
    access: 'authenticated',
    tag: 'Replies',
    summary: 'Reply to the visitor: stored as pending at once, then sent through the Send API',
    params: idParamsSchema,
    body: replySchema,
    responses: {
      202: { description: 'The pending message', schema: messageSchema },
      400: errorResponse('VALIDATION_FAILED'),
      403: errorResponse('FORBIDDEN: the chat is not yours'),
      404: errorResponse('NOT_FOUND'),
      409: errorResponse('CONVERSATION_CLOSED'),
      422: errorResponse('REPLY_WINDOW_CLOSED, with details.closedAt'),
    },
    handler: ({ actor, params, body }) => replies.reply(actor, params.id, body),
  });

  router.route({
    method: 'post',
    path: '/api/conversations/:id/attachments',
    access: 'authenticated',
    tag: 'Replies',
    summary:
      'Send the visitor an image, video, audio clip or file (multipart, field "file", ≤ 25 MB)',
    params: idParamsSchema,
    responses: {
      202: { description: 'The pending message', schema: messageSchema },
      400: errorResponse('VALIDATION_FAILED: no file'),
      403: errorResponse('FORBIDDEN: the chat is not yours'),
      404: errorResponse('NOT_FOUND'),
      413: errorResponse('PAYLOAD_TOO_LARGE'),
      422: errorResponse('REPLY_WINDOW_CLOSED, with details.closedAt'),
    },
    handler: async ({ actor, params, ctx }) => {
      // Nothing is read from someone who could not send it anyway.
      await replies.assertCanReply(actor, params.id);
      try {
        await readFile(ctx, async () => {});
      } catch (error) {
        if ((error as { code?: string }).code === 'LIMIT_FILE_SIZE') {
          throw new AppError('PAYLOAD_TOO_LARGE', 'Messenger accepts files up to 25 MB.', 413);
        }
        throw new ValidationError({ file: 'Send the file as multipart/form-data, field "file".' });
      }
      const file = ctx.file;
      if (!file) throw new ValidationError({ file: 'Choose a file to send.' });
      return replies.replyWithFile(actor, params.id, {
        content: file.buffer,
        fileName: file.originalname,
      });
    },
  });

  router.route({
    method: 'post',
    path: '/api/messages/:id/retry',
    access: 'authenticated',
    tag: 'Replies',
    summary: 'Send a failed reply again',
    params: idParamsSchema,
    responses: {
      202: { description: 'The message, pending again', schema: messageSchema },
      404: errorResponse('NOT_FOUND'),
      409: errorResponse('NOT_RETRYABLE'),
    },
    handler: ({ actor, params }) => replies.retry(actor, params.id),
  });
}
