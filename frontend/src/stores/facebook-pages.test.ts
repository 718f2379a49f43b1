import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError, configureHttpAuth } from '@/api/http';
import { makeFacebookPage } from '@/test/factories';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { useFacebookPagesStore } from './facebook-pages';

const input = {
  name: 'Support',
  accessToken: 'EAAG-token',
  verifyToken: 'a-strong-confirmation-code',
  appSecret: 'app-secret',
  departmentId: null,
  humanAgentEnabled: false,
};

describe('facebook pages store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
  });

  it('lists, connects, updates and deletes through the API, keeping the list in step', async () => {
    const existing = makeFacebookPage({ name: 'Sales' });
    const created = makeFacebookPage({ name: 'Support' });
    const { requests } = stubFetch({
      'GET /api/channels/facebook': jsonResponse(200, { items: [existing] }),
      'POST /api/channels/facebook': jsonResponse(201, created),
      [`PATCH /api/channels/facebook/${existing.id}`]: jsonResponse(200, {
        ...existing,
        name: 'Sales EU',
      }),
      [`DELETE /api/channels/facebook/${created.id}`]: new Response(null, { status: 204 }),
    });
    const pages = useFacebookPagesStore();

    await pages.fetchAll();
    expect(pages.hasLoaded).toBe(true);
    await pages.create(input);
    expect(pages.sortedByName.map((page) => page.name)).toEqual(['Sales', 'Support']);
    await pages.update(existing.id, { name: 'Sales EU' });
    await pages.remove(created.id);

    expect(pages.items.map((page) => page.name)).toEqual(['Sales EU']);
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual(input);
    expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({ name: 'Sales EU' });
  });

  it('(de)activates one page, flagging which one while the request runs', async () => {
    const page = makeFacebookPage({ active: true });
    stubFetch({
      'GET /api/channels/facebook': jsonResponse(200, { items: [page] }),
      [`PATCH /api/channels/facebook/${page.id}`]: jsonResponse(200, { ...page, active: false }),
    });
    const pages = useFacebookPagesStore();
    await pages.fetchAll();

    const pending = pages.setActive(page.id, false);
    expect(pages.uiFlags.togglingId).toBe(page.id);
    await pending;

    expect(pages.uiFlags.togglingId).toBeNull();
    expect(pages.items[0]?.active).toBe(false);
  });

  it('rejects FACEBOOK_TOKEN_INVALID with the reason as an accessToken field error', async () => {
    stubFetch({
      'POST /api/channels/facebook': errorResponse(
        422,
        'FACEBOOK_TOKEN_INVALID',
        'Facebook refused this page access token: Error validating access token',
        { fields: { accessToken: 'Error validating access token' }, facebookCode: 190 },
      ),
    });
    const pages = useFacebookPagesStore();

    const pending = pages.create(input);
    expect(pages.uiFlags.isCreating).toBe(true);
    const error = await pending.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('FACEBOOK_TOKEN_INVALID');
    expect((error as ApiError).fieldErrors).toEqual({
      accessToken: 'Error validating access token',
    });
    expect(pages.uiFlags.isCreating).toBe(false);
    expect(pages.items).toEqual([]);
  });

  it('forgets the pages on reset', async () => {
    stubFetch({
      'GET /api/channels/facebook': jsonResponse(200, { items: [makeFacebookPage()] }),
    });
    const pages = useFacebookPagesStore();
    await pages.fetchAll();

    pages.reset();

    expect(pages.items).toEqual([]);
    expect(pages.hasLoaded).toBe(false);
  });

  it("checks a page now, and follows a page's health live (page.updated) in its checklist", async () => {
    const page = makeFacebookPage({ name: 'Sales' });
    const checked = {
      ...page,
      status: { ...page.status, missingPermissions: ['pages_messaging'] },
    };
    stubFetch({
      'GET /api/channels/facebook': jsonResponse(200, { items: [page] }),
      [`POST /api/channels/facebook/${page.id}/check`]: jsonResponse(200, checked),
    });
    const pages = useFacebookPagesStore();
    await pages.fetchAll();

    const pending = pages.check(page.id);
    expect(pages.uiFlags.checkingId).toBe(page.id);
    await pending;
    expect(pages.uiFlags.checkingId).toBeNull();
    expect(pages.items[0]!.status.missingPermissions).toEqual(['pages_messaging']);

    pages.applyHealth({
      id: page.id,
      name: 'Sales',
      pageName: page.pageName,
      departmentId: null,
      healthy: false,
      tokenValid: false,
      missingPermissions: [],
      checkedAt: '2026-12-03T12:00:00.000Z',
      incident: { id: 'i1', kind: 'token_invalid', openedAt: '2026-12-03T12:00:00.000Z' },
    });
    expect(pages.items[0]!.status).toMatchObject({
      tokenValid: false,
      missingPermissions: [],
      healthCheckedAt: '2026-12-03T12:00:00.000Z',
    });
  });
});
