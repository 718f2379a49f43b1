import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import type { Label } from '@/api/types';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { useLabelsStore } from './labels';

function makeLabel(overrides: Partial<Label> = {}): Label {
  return {
    id: 'l1',
    name: 'VIP',
    color: '#2563eb',
    createdAt: '2025-01-15T09:00:00.000Z',
    updatedAt: '2025-01-15T09:00:00.000Z',
    ...overrides,
  };
}

describe('labels store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });

  it('loads the labels by name, ignoring case, and shares overlapping loads', async () => {
    const { fetchMock } = stubFetch({
      'GET /api/labels': jsonResponse(200, {
        items: [
          makeLabel({ id: 'b', name: 'vip' }),
          makeLabel({ id: 'a', name: 'Billing' }),
          makeLabel({ id: 'c', name: 'Angry' }),
        ],
      }),
    });
    const store = useLabelsStore();
    await Promise.all([store.fetchAll(), store.fetchAll(), store.ensureLoaded()]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(store.items.map((label) => label.name)).toEqual(['Angry', 'Billing', 'vip']);
    expect(store.byId.get('a')?.name).toBe('Billing');
    await store.ensureLoaded();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('keeps the list sorted through creation, renaming and deletion', async () => {
    const { requests } = stubFetch({
      'GET /api/labels': jsonResponse(200, { items: [makeLabel({ id: 'v', name: 'VIP' })] }),
      'POST /api/labels': jsonResponse(
        201,
        makeLabel({ id: 'b', name: 'Billing', color: '#dc2626' }),
      ),
      'PATCH /api/labels/v': jsonResponse(200, makeLabel({ id: 'v', name: 'Angry' })),
      'DELETE /api/labels/b': new Response(null, { status: 204 }),
    });
    const store = useLabelsStore();
    await store.fetchAll();
    await store.create({ name: 'Billing', color: '#dc2626' });
    expect(store.items.map((label) => label.name)).toEqual(['Billing', 'VIP']);
    await store.update('v', { name: 'Angry' });
    expect(store.items.map((label) => label.name)).toEqual(['Angry', 'Billing']);
    await store.remove('b');
    expect(store.items.map((label) => label.id)).toEqual(['v']);
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      name: 'Billing',
      color: '#dc2626',
    });
  });

  it('keeps the list as it was when the server refuses a change', async () => {
    stubFetch({
      'GET /api/labels': jsonResponse(200, { items: [makeLabel()] }),
      'POST /api/labels': errorResponse(409, 'LABEL_NAME_TAKEN'),
    });
    const store = useLabelsStore();
    await store.fetchAll();
    await expect(store.create({ name: 'vip', color: '#000000' })).rejects.toMatchObject({
      code: 'LABEL_NAME_TAKEN',
    });
    expect(store.items.map((label) => label.name)).toEqual(['VIP']);
    expect(store.uiFlags.isSaving).toBe(false);
  });
});
