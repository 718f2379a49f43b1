import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import { createOperatorSchema, updateOperatorSchema, userSchema } from './operators.schemas.js';
import type { OperatorsService } from './operators.service.js';

export function registerOperatorRoutes(router: ApiRouter, operators: OperatorsService): void {
  router.route({
    method: 'get',
    path: '/api/operators',
    access: 'admin',
    tag: 'Operators',
    summary: "List the business's users (admins and operators)",
    responses: {
      200: { description: 'Users by name', schema: z.object({ items: z.array(userSchema) }) },
    },
    handler: async ({ actor }) => ({ items: await operators.list(actor) }),
  });

  router.route({
    method: 'get',
    path: '/api/operators/:id',
    access: 'admin',
    tag: 'Operators',
    summary: 'One user',
    params: idParamsSchema,
    responses: {
      200: { description: 'The user', schema: userSchema },
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => operators.get(actor, params.id),
  });

  router.route({
    method: 'post',
    path: '/api/operators',
    access: 'admin',
    tag: 'Operators',
    summary: 'Create an operator or admin',
    body: createOperatorSchema,
    responses: {
      201: { description: 'The new user', schema: userSchema },
      400: errorResponse('VALIDATION_FAILED, or WEAK_PASSWORD'),
      404: errorResponse('NOT_FOUND: a department id is unknown'),
      409: errorResponse('EMAIL_TAKEN'),
    },
    handler: ({ actor, body }) => operators.create(actor, body),
  });

  router.route({
    method: 'patch',
    path: '/api/operators/:id',
    access: 'admin',
    tag: 'Operators',
    summary: 'Change a user (only the fields sent; password optional)',
    params: idParamsSchema,
    body: updateOperatorSchema,
    responses: {
      200: { description: 'The updated user', schema: userSchema },
      400: errorResponse('VALIDATION_FAILED, or WEAK_PASSWORD'),
      403: errorResponse("DEMO_ACCOUNT: a demo login's password cannot change"),
      404: errorResponse('NOT_FOUND'),
      409: errorResponse('EMAIL_TAKEN | LAST_ADMIN'),
    },
    handler: ({ actor, params, body }) => operators.update(actor, params.id, body),
  });

  router.route({
    method: 'delete',
    path: '/api/operators/:id/two-factor',
    access: 'admin',
    tag: 'Operators',
    summary:
      "Turn off a colleague's two-factor sign-in (lost phone and recovery codes); their sessions end",
    params: idParamsSchema,
    responses: {
      200: { description: 'The user, two-factor off', schema: userSchema },
      404: errorResponse('NOT_FOUND'),
      409: errorResponse('TWO_FACTOR_RESET_OWN | TWO_FACTOR_NOT_ENABLED'),
    },
    handler: ({ actor, params }) => operators.resetTwoFactor(actor, params.id),
  });

  router.route({
    method: 'delete',
    path: '/api/operators/:id',
    access: 'admin',
    tag: 'Operators',
    summary: 'Delete a user',
    params: idParamsSchema,
    responses: {
      204: { description: 'Deleted' },
      404: errorResponse('NOT_FOUND'),
      409: errorResponse('CANNOT_DELETE_SELF | LAST_ADMIN'),
    },
    handler: ({ actor, params }) => operators.remove(actor, params.id),
  });
}
