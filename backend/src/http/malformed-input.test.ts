import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { z, type ZodType } from 'zod';
import { describeApiRoutes } from '../app.js';
import type { AnyRouteSpec } from './api-router.js';
import { connectSocket, signUpTenant, useTestApi, type TestResponse } from '../testing/test-api.js';

/**
 * Issue 13, point 8: bad input is a 4xx in the api.md error format, never a 500. The routes
 * come from the same registration the api runs (ApiRouter specs), so a new route is probed
 * as soon as it exists; its query fields are read from its zod schema.
 */
const api = useTestApi();

const routes = describeApiRoutes();
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Path values that are not ids: each must be 400 VALIDATION_FAILED naming the field. */
const MALFORMED_IDS = [
  'not-a-uuid',
  '1',
  "1' or '1'='1",
  '0190a1b2-0000-7000-8000-00000000000g',
  `${randomUUID()}0`,
  'x'.repeat(300),
];

/** Query values no field takes: repeated parameters (arrays) and over-long strings. */
const REFUSED_QUERY_VALUES: Array<string | string[]> = [['a', 'b'], 'x'.repeat(2001)];

/** Wrong types and odd strings: a field may accept some, but nothing may crash. */
const ODD_QUERY_VALUES = ['not-a-uuid', 'yes', '-1', '1e999', 'NaN', '', ' ', '%00', '{}', 'null'];

/** Cursors the API never gave out: every list route refuses them with 400. */
const GARBAGE_CURSORS = [
  'garbage!',
  'x'.repeat(600),
  encode(null),
  encode([]),
  encode('text'),
  encode({ at: 1, id: 2 }),
  encode({ at: 'not a date', id: randomUUID() }),
  encode({ at: '2026-01-01T00:00:00.000Z', id: 'not-a-uuid' }),
  encode({ at: '2026-01-01T00:00:00.000Z' }),
  Buffer.from('{"at":').toString('base64url'),
];

/** Query fields named `…Id` that name something else than a record (so take other text). */
const NOT_RECORD_IDS: Record<string, string> = { personaId: "a demo persona's slug" };

/** A query string no route expects at all (routes without a query schema ignore it). */
const GARBAGE_QUERY =
  'status=a&status=b&mine=yes&departmentId=nope&cursor=%25%25&id=1&limit=-1&__proto__[x]=1&constructor=1&q=' +
  'x'.repeat(3000);

function queryFieldsOf(schema: ZodType | undefined): string[] {
  if (!schema) return [];
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return queryFieldsOf(schema.in as ZodType);
  throw new Error('queryFieldsOf: teach it this kind of query schema');
}

function toQueryString(field: string, value: string | string[]): string {
  const search = new URLSearchParams();
  for (const item of [value].flat()) search.append(field, item);
  return search.toString();
}

type Probe = { method: string; path: string; token?: string };

function describeProbe(probe: Probe): string {
  return `${probe.method.toUpperCase()} ${probe.path.slice(0, 200)}`;
}

/** Any answer but a 5xx; an error answer has the api.md body. */
function expectNoServerError(response: TestResponse, probe: Probe): void {
  const where = describeProbe(probe);
  expect(response.status, where).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.body, where).toMatchObject({
      error: { code: expect.stringMatching(/^[A-Z][A-Z_]*$/), message: expect.any(String) },
    });
  }
}

function expectFieldRefused(response: TestResponse, probe: Probe, field: string): void {
  const where = describeProbe(probe);
  expect(response.status, where).toBe(400);
  expect(response.body.error.code, where).toBe('VALIDATION_FAILED');
  expect(response.body.error.details.fields, where).toHaveProperty([field]);
}

describe('malformed input on every route', () => {
  /** Fills the path with acceptable values except `overrides`. */
  function pathOf(spec: AnyRouteSpec, tenantKey: string, overrides: Record<string, string> = {}) {
    return spec.path.replace(/:(\w+)/g, (_match, name: string) =>
      encodeURIComponent(
        overrides[name] ??
          (name === 'tenantKey' ? tenantKey : name === 'file' ? 'x.svg' : randomUUID()),
      ),
    );
  }

  async function send(probe: Probe): Promise<TestResponse> {
    return api.request(probe.method.toUpperCase(), probe.path, { token: probe.token });
  }

  it('knows the routes it probes', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((spec) => spec.path.includes(':id')).length).toBeGreaterThan(15);
  });

  it('answers 400 VALIDATION_FAILED naming the field for a malformed id in the path', async () => {
    const admin = await signUpTenant(api);
    for (const spec of routes.filter((route) => route.path.includes(':id'))) {
      for (const id of MALFORMED_IDS) {
        const probe = {
          method: spec.method,
          path: pathOf(spec, admin.tenant.key, { id }),
          token: admin.token,
        };
        expectFieldRefused(await send(probe), probe, 'id');
      }
    }
  });

  it('refuses repeated and over-long query parameters on every field, with the field named', async () => {
    const admin = await signUpTenant(api);
    for (const spec of routes) {
      for (const field of queryFieldsOf(spec.query)) {
        for (const value of REFUSED_QUERY_VALUES) {
          const path = `${pathOf(spec, admin.tenant.key)}?${toQueryString(field, value)}`;
          const probe = { method: spec.method, path, token: admin.token };
          expectFieldRefused(await send(probe), probe, field);
        }
        for (const value of ODD_QUERY_VALUES) {
          const path = `${pathOf(spec, admin.tenant.key)}?${toQueryString(field, value)}`;
          const probe = { method: spec.method, path, token: admin.token };
          expectNoServerError(await send(probe), probe);
        }
      }
    }
  });

  it('refuses ids that are not UUIDs in query filters', async () => {
    const admin = await signUpTenant(api);
    const filters = routes.flatMap((spec) =>
      queryFieldsOf(spec.query)
        .filter((field) => /Id$/.test(field) && !(field in NOT_RECORD_IDS))
        .map((field) => ({ spec, field })),
    );
    expect(filters.length).toBeGreaterThan(1);
    for (const { spec, field } of filters) {
      for (const id of MALFORMED_IDS) {
        const path = `${pathOf(spec, admin.tenant.key)}?${toQueryString(field, id)}`;
        const probe = { method: spec.method, path, token: admin.token };
        expectFieldRefused(await send(probe), probe, field);
      }
    }
  });

  it('refuses every cursor it did not give out', async () => {
    const admin = await signUpTenant(api);
    const lists = routes.filter((spec) => queryFieldsOf(spec.query).includes('cursor'));
    expect(lists.length).toBeGreaterThan(1);
    for (const spec of lists) {
      for (const cursor of GARBAGE_CURSORS) {
        const path = `${pathOf(spec, admin.tenant.key)}?${toQueryString('cursor', cursor)}`;
        const probe = { method: spec.method, path, token: admin.token };
        expectFieldRefused(await send(probe), probe, 'cursor');
      }
    }
  });

  it('never answers 500 to a query string or path no route expects', async () => {
    const admin = await signUpTenant(api);
    for (const spec of routes) {
      for (const token of [admin.token, undefined]) {
        const path = `${pathOf(spec, admin.tenant.key)}?${GARBAGE_QUERY}`;
        const probe = { method: spec.method, path, token };
        expectNoServerError(await send(probe), probe);
      }
      // A broken percent-encoding in each path parameter.
      for (const name of spec.path.match(/:\w+/g) ?? []) {
        const path = spec.path.replace(name, '%E0%A4%A').replace(/:\w+/g, randomUUID());
        const probe = { method: spec.method, path, token: admin.token };
        expectNoServerError(await send(probe), probe);
      }
    }
  });

  it('never answers 500 outside the API router either (openapi, panel, sandbox Graph)', async () => {
    const paths = [
      `/api/openapi.json?${GARBAGE_QUERY}`,
      '/api/nothing/%E0%A4%A',
      `/health?${GARBAGE_QUERY}`,
      '/%E0%A4%A',
    ];
    for (const path of paths) {
      for (const method of ['get', 'post']) {
        const probe = { method, path };
        expectNoServerError(await send(probe), probe);
      }
    }
    // The sandbox Graph answers in Facebook's own error format (a numeric code), by design.
    const graphPaths = [
      `/sandbox-graph/v25.0/me?${GARBAGE_QUERY}`,
      '/sandbox-graph/v25.0/me?access_token=a&access_token=b&fields=a&fields=b',
      '/sandbox-graph/v25.0/%E0%A4%A/messages?access_token=x',
      '/sandbox-graph/v25.0/me/messages?access_token[]=x',
      '/sandbox-graph/%E0%A4%A',
    ];
    for (const path of graphPaths) {
      for (const method of ['get', 'post']) {
        const response = await send({ method, path });
        expect(response.status, `${method} ${path}`).toBeLessThan(500);
      }
    }
  });
});

describe('malformed input on socket.io', () => {
  const sockets: Socket[] = [];
  afterAll(() => sockets.forEach((socket) => socket.disconnect()));

  it('answers conversation.watch with a malformed id by refusing, and keeps the socket', async () => {
    const admin = await signUpTenant(api);
    const socket = await connectSocket(api, admin.token, sockets);
    for (const request of [
      { conversationId: 'not-a-uuid' },
      { conversationId: 42 },
      { conversationId: { $ne: null } },
      { conversationId: 'x'.repeat(10_000) },
      null,
      'text',
    ]) {
      const answer = await socket.timeout(5_000).emitWithAck('conversation.watch', request);
      expect(answer, JSON.stringify(request).slice(0, 50)).toEqual({ ok: false });
      socket.emit('conversation.unwatch', request);
    }
    expect(socket.connected).toBe(true);
  });
});
