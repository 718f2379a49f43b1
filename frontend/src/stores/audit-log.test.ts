import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import type { AuditEntry } from '@/api/types';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';
import { useAuditLogStore } from './audit-log';

function makeEntry(id: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    at: '2026-12-03T10:00:00.000Z',
    actor: { id: 'admin', name: 'Ada' },
    action: 'label.created',
    target: { type: 'label', id: `label-${id}`, name: 'VIP' },
    changes: { name: { from: null, to: 'VIP' } },
    ...overrides,
  };
}

describe('audit log store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });

  it('loads the first page for the filters, then appends the next ones with the cursor', async () => {
    const { requests } = stubFetch({
      'GET /api/audit-log?actorId=admin&action=label.created': jsonResponse(200, {
        items: [makeEntry('3'), makeEntry('2')],
        nextCursor: 'c1',
      }),
      'GET /api/audit-log?actorId=admin&action=label.created&cursor=c1': jsonResponse(200, {
        items: [makeEntry('1')],
        nextCursor: null,
      }),
    });
    const store = useAuditLogStore();
    await store.fetchFirst({ actorId: 'admin', action: 'label.created' });
    expect(store.items.map((entry) => entry.id)).toEqual(['3', '2']);
    expect(store.nextCursor).toBe('c1');

    await store.loadMore();
    expect(store.items.map((entry) => entry.id)).toEqual(['3', '2', '1']);
    expect(store.nextCursor).toBeNull();
    await store.loadMore(); // nothing further to ask for
    expect(requests).toHaveLength(2);
  });

  it('starts again from the first page when the filters change', async () => {
    stubFetch({
      'GET /api/audit-log': jsonResponse(200, { items: [makeEntry('2')], nextCursor: 'c' }),
      'GET /api/audit-log?action=page.deleted': jsonResponse(200, {
        items: [makeEntry('9', { action: 'page.deleted' })],
        nextCursor: null,
      }),
    });
    const store = useAuditLogStore();
    await store.fetchFirst();
    await store.fetchFirst({ action: 'page.deleted' });
    expect(store.items.map((entry) => entry.id)).toEqual(['9']);
    expect(store.nextCursor).toBeNull();
    expect(store.filters).toEqual({ action: 'page.deleted' });
  });
});
