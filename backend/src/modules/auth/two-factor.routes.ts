import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse } from '../../http/schemas.js';
import {
  twoFactorCodeSchema,
  twoFactorRecoveryCodesSchema,
  twoFactorSetupSchema,
} from './two-factor.schemas.js';
import type { TwoFactorService } from './two-factor.service.js';

export function registerTwoFactorRoutes(router: ApiRouter, twoFactor: TwoFactorService): void {
  router.route({
    method: 'post',
    path: '/api/me/2fa/setup',
    access: 'authenticated',
    beforeTwoFactorSetup: true,
    tag: 'Me',
    summary:
      'Start setting up two-factor sign-in: a new secret, pending until confirmed with a code',
    responses: {
      200: { description: 'The secret and its otpauth:// URL', schema: twoFactorSetupSchema },
      403: errorResponse('DEMO_ACCOUNT'),
      409: errorResponse('TWO_FACTOR_ALREADY_ENABLED'),
    },
    handler: ({ actor }) => twoFactor.setUp(actor),
  });

  router.route({
    method: 'post',
    path: '/api/me/2fa/enable',
    access: 'authenticated',
    beforeTwoFactorSetup: true,
    tag: 'Me',
    summary:
      'Turn two-factor on with a code of the pending secret; every other session of yours ends',
    body: twoFactorCodeSchema,
    responses: {
      200: {
        description: 'On; the recovery codes, shown once',
        schema: twoFactorRecoveryCodesSchema,
      },
      400: errorResponse('INVALID_TWO_FACTOR_CODE | VALIDATION_FAILED'),
      403: errorResponse('DEMO_ACCOUNT'),
      409: errorResponse('TWO_FACTOR_ALREADY_ENABLED | TWO_FACTOR_SETUP_NOT_STARTED'),
      429: errorResponse('TOO_MANY_ATTEMPTS, with Retry-After'),
    },
    handler: ({ actor, body, ctx }) => twoFactor.enable(actor, body.code, ctx.ip),
  });

  router.route({
    method: 'post',
    path: '/api/me/2fa/disable',
    access: 'authenticated',
    tag: 'Me',
    summary:
      'Turn two-factor off with a current code or a recovery code; every other session of yours ends',
    body: twoFactorCodeSchema,
    responses: {
      204: { description: 'Off' },
      400: errorResponse('INVALID_TWO_FACTOR_CODE | VALIDATION_FAILED'),
      403: errorResponse('DEMO_ACCOUNT'),
      409: errorResponse('TWO_FACTOR_NOT_ENABLED'),
      429: errorResponse('TOO_MANY_ATTEMPTS, with Retry-After'),
    },
    handler: ({ actor, body, ctx }) => twoFactor.disable(actor, body.code, ctx.ip),
  });
}
