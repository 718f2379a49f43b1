import getRawBody from 'raw-body';
import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse } from '../../http/schemas.js';
import {
  choosePageLanguage,
  renderInstructionsPage,
  renderStatusPage,
} from './data-deletion-pages.js';
import type { DataDeletionService } from './data-deletion.service.js';

/** Where the public pages are (the panel's fallback leaves these paths to the server). */
export const DATA_DELETION_PATH = '/data-deletion';

/** A signed_request is a few hundred bytes. */
const CALLBACK_BODY_LIMIT = '64kb';

const tenantKeyParamsSchema = z.object({ tenantKey: z.string().max(100) });
const pageQuerySchema = z.object({
  lang: z.string().max(10).optional().meta({ description: 'en or ru; else Accept-Language' }),
});

export const deletionCallbackAnswerSchema = z
  .object({
    url: z.string().meta({ description: 'The status page of this request' }),
    confirmation_code: z.string(),
  })
  .meta({ id: 'DataDeletionCallbackAnswer' });

export function registerDataDeletionRoutes(
  router: ApiRouter,
  dataDeletion: DataDeletionService,
): void {
  router.route({
    method: 'get',
    path: `${DATA_DELETION_PATH}/:tenantKey`,
    access: 'public',
    tag: 'Data deletion',
    summary:
      "The workspace's public page telling a visitor how to have their data deleted (the app's data-deletion URL for Meta), in English or Russian",
    params: tenantKeyParamsSchema,
    query: pageQuerySchema,
    responses: {
      200: { description: 'The page, as text/html' },
      404: errorResponse('NOT_FOUND: unknown workspace key'),
    },
    handler: async ({ params, query, ctx }) => {
      const instructions = await dataDeletion.instructions(params.tenantKey);
      ctx.type = 'html';
      return renderInstructionsPage(
        instructions,
        choosePageLanguage(query.lang, ctx.get('Accept-Language')),
      );
    },
  });

  router.route({
    method: 'get',
    path: `${DATA_DELETION_PATH}/status/:code`,
    access: 'public',
    tag: 'Data deletion',
    summary: "A data deletion request's status page, opened by its confirmation code",
    params: z.object({ code: z.string().max(64) }),
    query: pageQuerySchema,
    responses: {
      200: { description: 'The page, as text/html' },
      404: errorResponse('NOT_FOUND: unknown confirmation code'),
    },
    handler: async ({ params, query, ctx }) => {
      const status = await dataDeletion.status(params.code);
      ctx.type = 'html';
      return renderStatusPage(status, choosePageLanguage(query.lang, ctx.get('Accept-Language')));
    },
  });

  router.route({
    method: 'post',
    path: '/api/webhooks/facebook/:tenantKey/data-deletion',
    access: 'public',
    tag: 'Data deletion',
    summary:
      "Facebook's data deletion request callback: a form field signed_request (HMAC-SHA256 with the app secret of one of the workspace's pages), answered with the status page and a confirmation code",
    params: tenantKeyParamsSchema,
    responses: {
      200: { description: 'Recorded', schema: deletionCallbackAnswerSchema },
      400: errorResponse('SIGNED_REQUEST_MISSING | SIGNED_REQUEST_INVALID'),
      404: errorResponse('NOT_FOUND: unknown workspace key'),
      413: errorResponse('PAYLOAD_TOO_LARGE'),
    },
    handler: async ({ params, ctx }) => {
      // Under /api/webhooks/ the JSON parser is skipped: Facebook posts a form.
      const rawBody = await getRawBody(ctx.req, {
        limit: CALLBACK_BODY_LIMIT,
        encoding: 'utf8',
      });
      return dataDeletion.receiveRequest(
        params.tenantKey,
        signedRequestOf(rawBody, ctx.is('json')),
      );
    },
  });
}

/** The signed_request field of a form body (Facebook's way), or of a JSON one. */
function signedRequestOf(rawBody: string, isJson: string | false | null): string | undefined {
  if (isJson) {
    try {
      const value = (JSON.parse(rawBody) as { signed_request?: unknown }).signed_request;
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(rawBody).get('signed_request') ?? undefined;
}
