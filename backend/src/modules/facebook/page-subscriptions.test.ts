import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.js';
import { createLogger } from '../../logger.js';
import {
  connectFacebookPage,
  signUpTenant,
  useTestApi,
  useTestWorker,
} from '../../testing/test-api.js';
import { until } from '../../testing/until.js';
import { computeAppSecretProof, FetchGraphClient } from './graph/fetch-graph-client.js';
import { SUBSCRIBED_FIELDS } from './graph/graph-client.js';
import { PageSubscriptionsService } from './page-subscriptions.service.js';

const api = useTestApi();
// The outbox sweep performs what the check leaves to it (the dead page's incident).
useTestWorker(api);

async function openIncidentsOf(pageRecordId: string): Promise<number> {
  const [row] = await api.orm.em
    .getConnection()
    .execute<{ count: number }[]>(
      'select count(*)::int as count from page_incident where page_id = ? and closed_at is null',
      [pageRecordId],
    );
  return row!.count;
}

function checker(): PageSubscriptionsService {
  const graph = new FetchGraphClient({
    baseUrl: api.fakeGraph.url,
    version: api.config.facebookGraphVersion,
  });
  return new PageSubscriptionsService(
    api.orm.em.fork(),
    graph,
    new SecretBox(api.config.encryptionKey),
    createLogger(api.config),
  );
}

describe('the page subscription check', () => {
  it('subscribes a page again after Facebook dropped its subscription', async () => {
    const admin = await signUpTenant(api);
    const { page, accessToken, appSecret } = await connectFacebookPage(api, admin.token);
    const query = new URLSearchParams({
      access_token: accessToken,
      appsecret_proof: computeAppSecretProof(accessToken, appSecret),
    });
    const dropped = await fetch(
      `${api.fakeGraph.url}/v25.0/${page.pageId}/subscribed_apps?${query}`,
      { method: 'DELETE' },
    );
    expect(dropped.status).toBe(200);
    expect(api.fakeGraph.subscribedFields(page.pageId)).toEqual([]);

    const result = await checker().checkAll();
    expect(result.resubscribed).toBeGreaterThanOrEqual(1);
    expect(api.fakeGraph.subscribedFields(page.pageId)).toEqual([...SUBSCRIBED_FIELDS]);
    const after = await api.request('GET', `/api/channels/facebook/${page.id}`, {
      token: admin.token,
    });
    expect(after.body.status).toMatchObject({ subscribed: true, tokenValid: true });
  });

  it('marks a page whose token died, and keeps checking the others', async () => {
    const admin = await signUpTenant(api);
    const dead = await connectFacebookPage(api, admin.token);
    const alive = await connectFacebookPage(api, admin.token);
    api.fakeGraph.revokeToken(dead.accessToken, 'password_changed');
    await checker().checkAll();
    const deadPage = await api.request('GET', `/api/channels/facebook/${dead.page.id}`, {
      token: admin.token,
    });
    expect(deadPage.body.status).toMatchObject({
      tokenValid: false,
      subscribed: false,
      lastError: expect.stringContaining('token'),
    });
    const alivePage = await api.request('GET', `/api/channels/facebook/${alive.page.id}`, {
      token: admin.token,
    });
    expect(alivePage.body.status).toMatchObject({
      tokenValid: true,
      subscribed: true,
      lastError: null,
    });
    // Page health opens the dead page's incident (its banner, its mails) from the outbox,
    // whose sweep runs every few seconds: on a busy machine that can take a while.
    await until(
      () => openIncidentsOf(dead.page.id),
      (count) => count === 1,
      30_000,
    );
    expect(await openIncidentsOf(dead.page.id)).toBe(1);
    expect(await openIncidentsOf(alive.page.id)).toBe(0);
  }, 45_000);
});
