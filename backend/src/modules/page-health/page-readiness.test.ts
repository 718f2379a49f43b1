import { describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  createOperator,
  postDelivery,
  signUpTenant,
  useTestApi,
  useTestWorker,
  type ConnectedPage,
  type SignedIn,
} from '../../testing/test-api.js';
import { delivery, entry, textMessage } from '../../testing/messenger-fixtures.js';
import { newGraphId } from '../fake-graph/fake-graph.js';
import { fakeGraphErrors } from '../fake-graph/fake-graph-errors.js';
import { SUBSCRIBED_FIELDS } from '../facebook/graph/graph-client.js';
import type { PageReadiness, ReadinessCheck } from './page-health.schemas.js';

const api = useTestApi();
// The worker processes the first message, which marks the page as receiving.
useTestWorker(api);

async function readiness(admin: SignedIn, pageRecordId: string) {
  return api.request('GET', `/api/channels/facebook/${pageRecordId}/readiness`, {
    token: admin.token,
  });
}

async function checksOf(admin: SignedIn, connected: ConnectedPage) {
  const response = await readiness(admin, connected.page.id);
  expect(response.status).toBe(200);
  const { checks } = response.body as PageReadiness;
  return Object.fromEntries(checks.map((check) => [check.id, check])) as Record<
    ReadinessCheck['id'],
    ReadinessCheck
  >;
}

/** Facebook verifies the callback URL, as it does when the admin saves it in the app. */
async function verifyWebhook(admin: SignedIn, connected: ConnectedPage): Promise<void> {
  const token = encodeURIComponent(connected.page.verifyToken);
  const response = await api.request(
    'GET',
    `/api/webhooks/facebook/${admin.tenant.key}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=42`,
  );
  expect(response.status).toBe(200);
}

/** A visitor writes to the page; resolves once Omni has processed it. */
async function receiveFirstMessage(admin: SignedIn, connected: ConnectedPage): Promise<void> {
  const { pageId } = connected.page;
  const response = await postDelivery(
    api,
    admin.tenant.key,
    delivery(entry(pageId, textMessage({ psid: newGraphId(), pageId, text: 'Hello?' }))),
    connected.appSecret,
  );
  expect(response.status).toBe(200);
  await expect
    .poll(
      async () =>
        (
          await api.request('GET', `/api/channels/facebook/${connected.page.id}`, {
            token: admin.token,
          })
        ).body.status.lastEventAt,
      { timeout: 10_000 },
    )
    .not.toBeNull();
}

/** A page that has done everything App Review needs. */
async function readyPage(admin: SignedIn): Promise<ConnectedPage> {
  const connected = await connectFacebookPage(api, admin.token, { humanAgentEnabled: true });
  await verifyWebhook(admin, connected);
  await receiveFirstMessage(admin, connected);
  return connected;
}

describe('the App Review readiness check', () => {
  it('passes every check of a page that is set up, each saying what it found', async () => {
    const admin = await signUpTenant(api, 'Ready Co');
    const connected = await readyPage(admin);

    const response = await readiness(admin, connected.page.id);
    expect(response.status).toBe(200);
    const { checks } = response.body as PageReadiness;
    expect(checks.map((check) => check.id)).toEqual([
      'token',
      'permissions',
      'webhook',
      'subscription',
      'first_message',
      'human_agent',
    ]);
    for (const check of checks) {
      expect(check, check.id).toMatchObject({ ok: true, problem: null, missing: [] });
    }
    expect(checks[1]!.detail).toBe(
      'Granted: pages_messaging, pages_manage_metadata, pages_read_engagement, pages_show_list.',
    );
  });

  it('names the permission the token lacks, as debug_token says now', async () => {
    const admin = await signUpTenant(api);
    const connected = await readyPage(admin);
    // The person who made the token withdrew pages_messaging since the page was connected.
    api.fakeGraph.setScopes(connected.page.pageId, [
      'pages_manage_metadata',
      'pages_read_engagement',
      'pages_show_list',
    ]);

    const checks = await checksOf(admin, connected);
    expect(checks.permissions).toMatchObject({
      ok: false,
      problem: 'missing',
      missing: ['pages_messaging'],
    });
    expect(checks.permissions.detail).toMatch(/^Missing: pages_messaging\./);
    expect(checks.token.ok).toBe(true);
    // The check recorded what it found: the page's status shows it too.
    const page = await api.request('GET', `/api/channels/facebook/${connected.page.id}`, {
      token: admin.token,
    });
    expect(page.body.status.missingPermissions).toEqual(['pages_messaging']);
  });

  it('names the subscribed fields the page lacks', async () => {
    const admin = await signUpTenant(api);
    const connected = await readyPage(admin);
    api.fakeGraph.setSubscription(
      connected.page.pageId,
      SUBSCRIBED_FIELDS.filter((field) => field !== 'message_reads' && field !== 'message_echoes'),
    );

    const { subscription } = await checksOf(admin, connected);
    expect(subscription).toMatchObject({
      ok: false,
      problem: 'missing',
      missing: ['message_reads', 'message_echoes'],
    });
    expect(subscription.detail).toMatch(/^Missing: message_reads, message_echoes\./);
  });

  it('asks a page beside a bot (handover) for the handover fields too', async () => {
    const admin = await signUpTenant(api);
    const connected = await readyPage(admin);
    const handover = await api.request('PATCH', `/api/channels/facebook/${connected.page.id}`, {
      token: admin.token,
      body: { handover: { enabled: true } },
    });
    expect(handover.status).toBe(200);
    api.fakeGraph.setSubscription(connected.page.pageId, [...SUBSCRIBED_FIELDS]);

    const { subscription } = await checksOf(admin, connected);
    expect(subscription).toMatchObject({
      ok: false,
      problem: 'missing',
      missing: ['messaging_handovers', 'standby'],
    });
  });

  it('fails the webhook, first message and human agent checks of a page just connected', async () => {
    const admin = await signUpTenant(api);
    const connected = await connectFacebookPage(api, admin.token);

    const checks = await checksOf(admin, connected);
    expect(checks.token.ok).toBe(true);
    expect(checks.webhook).toMatchObject({ ok: false, problem: 'not_verified' });
    expect(checks.first_message).toMatchObject({ ok: false, problem: 'no_message' });
    expect(checks.first_message.detail).toMatch(/No message has reached Omni yet/);
    expect(checks.human_agent).toMatchObject({ ok: false, problem: 'off' });
    expect(checks.human_agent.detail).toMatch(/^Human Agent is off/);
  });

  it('says so in the checks Facebook leaves unanswered, instead of failing', async () => {
    const admin = await signUpTenant(api);
    const connected = await readyPage(admin);
    api.fakeGraph.failNext(
      { method: 'GET', path: `/${connected.page.pageId}/subscribed_apps` },
      fakeGraphErrors.temporaryFailure,
    );

    const checks = await checksOf(admin, connected);
    expect(checks.subscription).toMatchObject({ ok: false, problem: 'facebook_unavailable' });
    expect(checks.subscription.detail).toMatch(/did not answer/);
    expect(checks.token.ok).toBe(true);
    expect(checks.human_agent.ok).toBe(true);
  });

  it('with a refused token, fails the token check and leaves what needs it unknown', async () => {
    const admin = await signUpTenant(api);
    const connected = await readyPage(admin);
    api.fakeGraph.revokeToken(connected.accessToken, 'expired');

    const checks = await checksOf(admin, connected);
    expect(checks.token).toMatchObject({ ok: false, problem: 'token_refused' });
    expect(checks.permissions).toMatchObject({ ok: false, problem: 'token_refused' });
    expect(checks.subscription).toMatchObject({ ok: false, problem: 'token_refused' });
    expect(checks.webhook.ok).toBe(true);
  });

  it("is the tenant's admins' alone", async () => {
    const admin = await signUpTenant(api);
    const connected = await connectFacebookPage(api, admin.token);
    const operator = await createOperator(api, admin.token);
    const stranger = await signUpTenant(api, 'Other Co');

    expect((await readiness(stranger, connected.page.id)).status).toBe(404);
    const asOperator = await readiness(operator, connected.page.id);
    expect(asOperator.status).toBe(403);
    expect(asOperator.body.error.code).toBe('FORBIDDEN');
  });
});
