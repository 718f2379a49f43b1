import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
} from 'zod-openapi';
import type { z } from 'zod';
import type { AnyRouteSpec } from './api-router.js';

/**
 * The OpenAPI 3.1 document, generated from the same route specs that validate requests.
 * `extraSchemas`: named schemas no route uses (socket.io event payloads), as components.
 */
export function buildOpenApiDocument(
  specs: AnyRouteSpec[],
  serverUrl: string,
  extraSchemas: Record<string, z.ZodType> = {},
): object {
  const paths: ZodOpenApiPathsObject = {};
  for (const spec of specs) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][spec.method] = toOperation(spec);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Omni API',
      version: '1',
      description:
        'Facebook Messenger pages connected to a shared operator queue. Errors always have the shape {"error": {"code", "message", "details"?}}. ' +
        'The bearer is a session token (POST /api/auth/login) or an API token `omni_…` (POST /api/api-tokens), which acts as the workspace admin, rate-limited per token (429 RATE_LIMITED); what only a person does (replies, notes, taking a chat, presence, /api/me, canned responses) answers it 403 USER_SESSION_REQUIRED.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT or omni_… API token' },
      },
      schemas: extraSchemas,
    },
    paths,
  });
}

function toOperation(spec: AnyRouteSpec): ZodOpenApiOperationObject {
  const responses = Object.fromEntries(
    Object.entries(spec.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...(response.schema
          ? { content: { 'application/json': { schema: response.schema } } }
          : {}),
      },
    ]),
  );
  return {
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.access === 'public' ? {} : { security: [{ bearer: [] }] }),
    requestParams: {
      ...(spec.params ? { path: spec.params as z.ZodObject } : {}),
      ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
    },
    ...(spec.body
      ? { requestBody: { content: { 'application/json': { schema: spec.body } } } }
      : {}),
    responses,
  };
}
