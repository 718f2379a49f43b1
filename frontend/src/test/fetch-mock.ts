// Test helpers: a fake fetch that answers by method and path, and records what it was sent.
import { vi } from 'vitest';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Responder = (request: RecordedRequest) => Response | Promise<Response>;

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export function errorResponse(
  status: number,
  code: string,
  message = 'Failed',
  details?: Record<string, unknown>,
): Response {
  return jsonResponse(status, { error: { code, message, ...(details ? { details } : {}) } });
}

/**
 * Replaces global fetch. Routes are "METHOD /path" keys; an unknown route fails the test loudly
 * instead of hanging, so a test cannot pass by calling something it did not expect.
 */
export function stubFetch(routes: Record<string, Responder | Response>) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    const path = typeof input === 'string' ? input : input.toString();
    const request: RecordedRequest = {
      method,
      path,
      headers: { ...(init.headers as Record<string, string> | undefined) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const route = routes[`${method} ${path}`];
    if (!route) throw new Error(`Unexpected request in test: ${method} ${path}`);
    return route instanceof Response ? route.clone() : route(request);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { fetchMock, requests };
}
