import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse } from '../../http/schemas.js';
import { setStatusSchema, userSchema } from '../operators/operators.schemas.js';
import type { OperatorsService } from '../operators/operators.service.js';
import {
  changePasswordSchema,
  identitySchema,
  logInSchema,
  sessionSchema,
  signUpSchema,
} from './auth.schemas.js';
import type { AuthService } from './auth.service.js';

export function registerAuthRoutes(
  router: ApiRouter,
  auth: AuthService,
  operators: OperatorsService,
): void {
  router.route({
    method: 'post',
    path: '/api/auth/signup',
    access: 'public',
    tag: 'Auth',
    summary: 'Create a business (tenant) whose first user is its admin',
    body: signUpSchema,
    responses: {
      201: { description: 'Signed in as the new admin', schema: sessionSchema },
      400: errorResponse('VALIDATION_FAILED, or WEAK_PASSWORD'),
      409: errorResponse('EMAIL_TAKEN'),
      429: errorResponse('TOO_MANY_ATTEMPTS from this address, with Retry-After'),
    },
    handler: ({ body, ctx }) => auth.signUp(body, ctx.ip),
  });

  router.route({
    method: 'post',
    path: '/api/auth/login',
    access: 'public',
    tag: 'Auth',
    summary:
      'Sign in with email and password, and the two-factor code (or a recovery code) when the user has it on',
    body: logInSchema,
    responses: {
      200: {
        description:
          'Signed in. With user.twoFactorSetupRequired, the session may only set up two-factor until it is on',
        schema: sessionSchema,
      },
      401: errorResponse(
        'INVALID_CREDENTIALS; TWO_FACTOR_REQUIRED (the password was right, send it again with code); INVALID_TWO_FACTOR_CODE',
      ),
      429: errorResponse('TOO_MANY_ATTEMPTS, with Retry-After (and retryAfterSeconds in details)'),
    },
    handler: ({ body, ctx }) => auth.logIn(body, ctx.ip),
  });

  router.route({
    method: 'post',
    path: '/api/auth/logout',
    access: 'authenticated',
    tag: 'Auth',
    summary: 'End this session: its token stops working at once, on REST and socket.io',
    beforeTwoFactorSetup: true,
    responses: { 204: { description: 'Signed out' }, 401: errorResponse('UNAUTHENTICATED') },
    handler: ({ actor }) => auth.logOut(actor),
  });

  router.route({
    method: 'put',
    path: '/api/me/password',
    access: 'authenticated',
    tag: 'Me',
    summary: 'Change your password; every other session of yours ends (this one goes on)',
    body: changePasswordSchema,
    responses: {
      204: { description: 'Changed' },
      400: errorResponse('WRONG_PASSWORD | WEAK_PASSWORD | VALIDATION_FAILED'),
      403: errorResponse('DEMO_ACCOUNT: the demo logins keep their passwords'),
      429: errorResponse('TOO_MANY_ATTEMPTS, with Retry-After'),
    },
    handler: ({ actor, body, ctx }) => auth.changePassword(actor, body, ctx.ip),
  });

  router.route({
    method: 'get',
    path: '/api/me',
    access: 'authenticated',
    tag: 'Me',
    summary: 'The signed-in user and their business',
    beforeTwoFactorSetup: true,
    responses: { 200: { description: 'Who you are', schema: identitySchema } },
    handler: ({ actor }) => auth.describe(actor),
  });

  router.route({
    method: 'put',
    path: '/api/me/status',
    access: 'authenticated',
    tag: 'Me',
    summary: 'Go online, away or offline',
    body: setStatusSchema,
    responses: {
      200: { description: 'Your updated user', schema: z.object({ user: userSchema }) },
    },
    handler: async ({ actor, body }) => ({ user: await operators.setStatus(actor, body.status) }),
  });
}
