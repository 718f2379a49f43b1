import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import { contactSchema } from './contacts.schemas.js';
import type { ContactsService } from './contacts.service.js';

export function registerContactRoutes(router: ApiRouter, contacts: ContactsService): void {
  router.route({
    method: 'get',
    path: '/api/contacts/:id',
    access: 'authenticated',
    tag: 'Contacts',
    summary:
      "A visitor and their earlier conversations (episodes), if you may see the visitor's conversation",
    params: idParamsSchema,
    responses: {
      200: { description: 'The visitor with their episodes', schema: contactSchema },
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => contacts.get(actor, params.id),
  });

  router.route({
    method: 'delete',
    path: '/api/contacts/:id',
    access: 'admin',
    tag: 'Contacts',
    summary:
      "Erase a visitor's data (their request to have it deleted): messages, notes, files, name, photo and PSID go; the conversations stay as anonymous stubs for the statistics (an open one is closed). Recorded in the audit log",
    params: idParamsSchema,
    responses: {
      204: { description: 'Erased' },
      403: errorResponse('FORBIDDEN: admins only'),
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, params }) => contacts.erase(actor, params.id),
  });
}
