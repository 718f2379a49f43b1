import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import type { PageHealth } from '@/api/types';
import { realtimeEventTable } from '@/realtime/socket';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';
import { DISMISSED_STORAGE_KEY, usePageHealthStore } from './page-health';

function health(overrides: Partial<PageHealth> = {}): PageHealth {
  return {
    id: 'p1',
    name: 'Sales',
    pageName: 'Acme Sales',
    departmentId: null,
    healthy: true,
    tokenValid: true,
    missingPermissions: [],
    checkedAt: '2026-12-03T10:00:00.000Z',
    incident: null,
    ...overrides,
  };
}

const dead = (incidentId: string) =>
  health({
    healthy: false,
    tokenValid: false,
    incident: { id: incidentId, kind: 'token_invalid', openedAt: '2026-12-03T11:00:00.000Z' },
  });

describe('page health store', () => {
  beforeEach(() => {
    sessionStorage.clear();
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });

  it('shows a banner for each page with an open incident, from the list and then live', async () => {
    stubFetch({
      'GET /api/page-health': jsonResponse(200, {
        items: [health({ id: 'p2', name: 'Support' }), dead('i1')],
      }),
    });
    const store = usePageHealthStore();
    await store.fetch();
    expect(store.banners.map((page) => page.id)).toEqual(['p1']);

    // page.updated: Support's token died; Sales recovered.
    realtimeEventTable['page.updated']({ ...dead('i2'), id: 'p2', name: 'Support' });
    realtimeEventTable['page.updated'](health());
    expect(store.banners.map((page) => page.id)).toEqual(['p2']);
  });

  it('keeps a dismissed banner away for the session, but not the next incident of its page', () => {
    const store = usePageHealthStore();
    store.apply(dead('i1'));
    store.dismiss('i1');
    expect(store.banners).toEqual([]);
    expect(JSON.parse(sessionStorage.getItem(DISMISSED_STORAGE_KEY)!)).toEqual(['i1']);

    // A reload in the same session remembers it.
    setActivePinia(createPinia());
    const reloaded = usePageHealthStore();
    reloaded.apply(dead('i1'));
    expect(reloaded.banners).toEqual([]);

    // It recovered, then died again: a new incident, a banner again.
    reloaded.apply(health());
    reloaded.apply(dead('i2'));
    expect(reloaded.banners.map((page) => page.incident?.id)).toEqual(['i2']);
  });

  it("drops a deleted page's banner, and everything when the session ends", () => {
    const store = usePageHealthStore();
    store.apply(dead('i1'));
    store.apply({ ...dead('i2'), id: 'p2' });
    realtimeEventTable['page.deleted']({ id: 'p1', pageId: '100' });
    expect(store.banners.map((page) => page.id)).toEqual(['p2']);
    store.reset();
    expect(store.banners).toEqual([]);
  });
});
