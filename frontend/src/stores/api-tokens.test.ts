import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import type { ApiToken } from '@/api/types';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { useApiTokensStore } from './api-tokens';

function makeToken(overrides: Partial<ApiToken> = {}): ApiToken {
  return {
    id: 't1',
    name: 'CRM sync',
    prefix: 'omni_Ab3x',
    createdAt: '2026-12-01T09:00:00.000Z',
    lastUsedAt: null,
    createdBy: { id: 'u1', name: 'Admin' },
    ...overrides,
  };
}

describe('API tokens store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });

  it('hands a new token to the caller once and keeps only what the list shows', async () => {
    const secret = 'omni_Ab3xSECRETSECRETSECRETSECRETSECRETSECRET';
    const { requests } = stubFetch({
      'GET /api/api-tokens': jsonResponse(200, { items: [makeToken({ id: 'old', name: 'Old' })] }),
      'POST /api/api-tokens': jsonResponse(201, { ...makeToken({ id: 'new' }), token: secret }),
    });
    const store = useApiTokensStore();
    await store.fetchAll();
    const created = await store.create({ name: 'CRM sync' });

    expect(created.token).toBe(secret);
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      name: 'CRM sync',
    });
    expect(store.items.map((item) => item.id)).toEqual(['new', 'old']);
    expect(JSON.stringify(store.items)).not.toContain(secret);
    expect(store.uiFlags.isCreating).toBe(false);
  });

  it('drops a revoked token, and keeps it when revoking fails', async () => {
    stubFetch({
      'GET /api/api-tokens': jsonResponse(200, {
        items: [makeToken({ id: 'a' }), makeToken({ id: 'b' })],
      }),
      'DELETE /api/api-tokens/a': new Response(null, { status: 204 }),
      'DELETE /api/api-tokens/b': errorResponse(404, 'NOT_FOUND', 'The API token was not found.'),
    });
    const store = useApiTokensStore();
    await store.fetchAll();
    await store.revoke('a');
    expect(store.items.map((item) => item.id)).toEqual(['b']);
    await expect(store.revoke('b')).rejects.toThrow();
    expect(store.items.map((item) => item.id)).toEqual(['b']);
    expect(store.uiFlags.revokingId).toBeNull();

    store.reset();
    expect(store.items).toEqual([]);
    expect(store.hasLoaded).toBe(false);
  });
});
