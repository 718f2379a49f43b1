import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import { departmentInputSchema, departmentSchema } from './departments.schemas.js';
import type { DepartmentsService } from './departments.service.js';

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
}
