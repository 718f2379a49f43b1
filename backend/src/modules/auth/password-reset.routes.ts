import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { emailSchema, errorResponse, passwordSchema } from '../../http/schemas.js';
import type { PasswordResetService } from './password-reset.service.js';

const requestSchema = z.object({ email: emailSchema }).meta({ id: 'PasswordResetRequestInput' });

const confirmSchema = z
  .object({ token: z.string().min(1).max(128), password: passwordSchema })
  .meta({ id: 'PasswordResetConfirmInput' });

export function registerPasswordResetRoutes(
  router: ApiRouter,
  passwordResets: PasswordResetService,
): void {
  router.route({
    method: 'post',
    path: '/api/auth/password-reset',
    access: 'public',
    tag: 'Auth',
    summary:
      'Mail a single-use link valid 1 hour; answers the same whether the address has an account or not',
    body: requestSchema,
    responses: {
      202: { description: 'A link is on its way if the address has an account' },
      429: errorResponse('TOO_MANY_ATTEMPTS, with Retry-After'),
    },
    handler: ({ body, ctx }) => passwordResets.request(body.email, ctx.ip),
  });

  router.route({
    method: 'post',
    path: '/api/auth/password-reset/confirm',
    access: 'public',
    tag: 'Auth',
    summary: "Set a new password with a mailed link's token; every session of the user ends",
    body: confirmSchema,
    responses: {
      204: { description: 'The password is changed; sign in with it' },
      400: errorResponse('VALIDATION_FAILED, or WEAK_PASSWORD'),
      410: errorResponse('RESET_LINK_EXPIRED: used, older than an hour, or unknown'),
    },
    handler: ({ body }) => passwordResets.confirm(body.token, body.password),
  });
}
