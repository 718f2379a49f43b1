import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import { departmentInputSchema, departmentSchema } from './departments.schemas.js';
import type { DepartmentsService } from './departments.service.js';
import { businessHoursInputSchema, businessHoursSchema } from './business-hours.schemas.js';

export function registerDepartmentRoutes(router: ApiRouter, departments: DepartmentsService): void {
  router.route({
    method: 'get',
    path: '/api/departments',
    access: 'authenticated',
    tag: 'Departments',
    summary: "List the business's departments",
    responses: {
      200: {
        description: 'Departments by name',
        schema: z.object({ items: z.array(departmentSchema) }),
      },
    },
    handler: async ({ actor }) => ({ items: await departments.list(actor) }),
  });

  router.route({
    method: 'post',
    path: '/api/departments',
    access: 'admin',
    tag: 'Departments',
    summary: 'Create a department',
    body: departmentInputSchema,
    responses: {
      201: { description: 'The new department', schema: departmentSchema },
      409: errorResponse('DEPARTMENT_NAME_TAKEN'),
    },
    handler: ({ actor, body }) => departments.create(actor, body),
  });

  router.route({
    method: 'patch',
    path: '/api/departments/:id',
    access: 'admin',
    tag: 'Departments',
    summary: 'Rename a department',
    params: idParamsSchema,
    body: departmentInputSchema,
    responses: {
      200: { description: 'The renamed department', schema: departmentSchema },
      404: errorResponse('NOT_FOUND'),
      409: errorResponse('DEPARTMENT_NAME_TAKEN'),
    },
    handler: ({ actor, params, body }) => departments.rename(actor, params.id, body),
  });

  router.route({
    method: 'delete',
    path: '/api/departments/:id',
    access: 'admin',
    tag: 'Departments',
    summary: 'Delete a department (its operators stay, without this membership)',
    params: idParamsSchema,
    responses: { 204: { description: 'Deleted' }, 404: errorResponse('NOT_FOUND') },
    handler: ({ actor, params }) => departments.remove(actor, params.id),
  });

  registerBusinessHoursRoutes(router, departments);
}

function registerBusinessHoursRoutes(router: ApiRouter, departments: DepartmentsService): void {
  router.route({
    method: 'get',
    path: '/api/departments/:id/hours',
    access: 'authenticated',
    tag: 'Departments',
    summary: "A department's business hours and whether it is open now",
    params: idParamsSchema,
    responses: {
      200: {
        description: 'The hours (timezone null: none set, always open)',
        schema: businessHoursSchema,
      },
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => departments.hours(actor, params.id),
  });

  router.route({
    method: 'put',
    path: '/api/departments/:id/hours',
    access: 'admin',
    tag: 'Departments',
    summary:
      "Set a department's business hours; outside them chats still queue and the visitor gets the away message once",
    params: idParamsSchema,
    body: businessHoursInputSchema,
    responses: {
      200: { description: 'The saved hours', schema: businessHoursSchema },
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params, body }) => departments.setHours(actor, params.id, body),
  });

  router.route({
    method: 'delete',
    path: '/api/departments/:id/hours',
    access: 'admin',
    tag: 'Departments',
    summary: "Remove a department's business hours (always open again)",
    params: idParamsSchema,
    responses: { 204: { description: 'Removed' }, 404: errorResponse('NOT_FOUND') },
    handler: async ({ actor, params }) => {
      await departments.setHours(actor, params.id, null);
    },
  });
}
