import getRawBody from 'raw-body';
import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse } from '../../http/schemas.js';
import type { FacebookWebhooksService } from './facebook-webhooks.service.js';

/** Facebook's deliveries are small; anything bigger is refused before it is read whole. */
export const WEBHOOK_BODY_LIMIT = '1mb';

const tenantKeyParamsSchema = z.object({ tenantKey: z.string().max(100) });

const handshakeQuerySchema = z.object({
  'hub.mode': z.string().max(50).optional(),
  'hub.verify_token': z.string().max(200).optional(),
  'hub.challenge': z.string().max(200).optional(),
});

export function registerFacebookWebhookRoutes(
  router: ApiRouter,
  webhooks: FacebookWebhooksService,
): void {
  router.route({
    method: 'get',
    path: '/api/webhooks/facebook/:tenantKey',
    access: 'public',
    tag: 'Facebook webhook',
    summary:
      "Facebook's verification handshake: echoes hub.challenge for a known confirmation code",
    params: tenantKeyParamsSchema,
    query: handshakeQuerySchema,
    responses: {
      200: { description: 'The challenge, as text/plain' },
      403: errorResponse('FORBIDDEN: wrong mode or verify token'),
    },
    handler: async ({ params, query, ctx }) => {
      const challenge = await webhooks.confirmSubscription(params.tenantKey, {
        mode: query['hub.mode'],
        verifyToken: query['hub.verify_token'],
        challenge: query['hub.challenge'],
      });
      ctx.type = 'text/plain';
      return challenge;
    },
  });

  router.route({
    method: 'post',
    path: '/api/webhooks/facebook/:tenantKey',
    access: 'public',
    tag: 'Facebook webhook',
    summary: 'A signed delivery of Messenger events; answered 200 once stored',
    params: tenantKeyParamsSchema,
    responses: {
      200: {
        description:
          'Stored; or acknowledged without storing when it names no page of this workspace (a page deleted here but still subscribed: Facebook signs with an app secret Omni may not have)',
      },
      400: errorResponse('INVALID_JSON | INVALID_PAYLOAD'),
      401: errorResponse('SIGNATURE_MISSING'),
      403: errorResponse('SIGNATURE_INVALID'),
      404: errorResponse('NOT_FOUND: unknown tenant key'),
      413: errorResponse('PAYLOAD_TOO_LARGE'),
      429: errorResponse(
        'TOO_MANY_UNVERIFIED_DELIVERIES: too many unverifiable deliveries to this address in the last minute',
      ),
    },
    handler: async ({ params, ctx }) => {
      // The signature covers the exact bytes, so the body is read raw, never re-serialised.
      const rawBody = await getRawBody(ctx.req, { limit: WEBHOOK_BODY_LIMIT });
      await webhooks.receive(
        params.tenantKey,
        rawBody,
        ctx.get('X-Hub-Signature-256') || undefined,
      );
      ctx.type = 'text/plain';
      return 'EVENT_RECEIVED';
    },
  });
}
