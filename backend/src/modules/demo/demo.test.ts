import { PassThrough, Readable } from 'node:stream';
import { pino } from 'pino';
import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.js';
import { TENANT_FILTER, scopeToTenant } from '../../db/tenant-filter.js';
import { SANDBOX_GRAPH_PATH } from '../../config.js';
import { createLogger, type Logger } from '../../logger.js';
import {
  fromAddress,
  randomClientAddress,
  signUpTenant,
  useTestApi,
} from '../../testing/test-api.js';
import { LOGIN_LIMITS } from '../auth/login-throttle.js';
import { describePasswordWeakness } from '../auth/password-policy.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import type { Actor } from '../auth/actor.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';
import { FetchGraphClient } from '../facebook/graph/fetch-graph-client.js';
import { SUBSCRIBED_FIELDS, type GraphClient } from '../facebook/graph/graph-client.js';
import { WebhookEvent } from '../facebook/webhook-event.entity.js';
import { createFileStorage } from '../files/file-storage.js';
import { StoredFile } from '../files/stored-file.entity.js';
import { User } from '../operators/user.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { DEMO_LOGINS, SANDBOX_TOKEN_PREFIX, personaPsid } from './demo-identity.js';
import { ensureDemoTenant, resetDemoTenant } from './demo.seeder.js';
import { DemoService } from './demo.service.js';
import { MessengerSimulator } from './messenger-simulator.js';
import { SandboxAwareGraphClient } from './sandbox-aware-graph-client.js';
import { SandboxGraph } from './sandbox-graph.js';

// X-Forwarded-For names the client: the lock-out test plays strangers at many addresses.
const api = useTestApi({ TRUST_PROXY: 'true' });

type Login = { role: string; email: string; password: string };

function seedDependencies(overrides: { isProduction?: boolean; logger?: Logger } = {}) {
  const em = api.orm.em.fork() as EntityManager;
  return {
    em,
    passwords: new PasswordHasher(),
    secrets: new SecretBox(api.config.encryptionKey),
    encryptionKey: api.config.encryptionKey,
    logger: createLogger({ ...api.config, logLevel: 'silent' }),
    storage: createFileStorage(api.config),
    isProduction: false,
    ...overrides,
  };
}

async function demoLogins(): Promise<Login[]> {
  const response = await api.request('GET', '/api/demo');
  expect(response.status).toBe(200);
  expect(response.body.enabled).toBe(true);
  return response.body.logins as Login[];
}

async function signIn(login: Login): Promise<string> {
  const response = await api.request('POST', '/api/auth/login', {
    body: { email: login.email, password: login.password },
  });
  expect(response.status, login.email).toBe(200);
  expect(response.body.user.role).toBe(login.role);
  return response.body.token as string;
}

/** The demo business and its admin, as services see a signed-in admin. */
async function demoAdmin(em: EntityManager): Promise<{ tenant: Tenant; actor: Actor }> {
  const tenant = await em.findOneOrFail(Tenant, { isDemo: true });
  const admin = await em.findOneOrFail(
    User,
    { tenant, role: 'admin' },
    { filters: { [TENANT_FILTER]: false } },
  );
  return { tenant, actor: { userId: admin.id, tenantId: tenant.id, role: 'admin' } };
}

/**
 * The simulator as the api runs it, posting to the test api's own callback URL (the api's
 * PUBLIC_URL is not where the test api listens).
 */
async function simulatorOf(tenant: Tenant): Promise<MessengerSimulator> {
  const em = api.orm.em.fork() as EntityManager;
  scopeToTenant(em, tenant.id); // as a request of the demo admin would be
  const secrets = new SecretBox(api.config.encryptionKey);
  const sandbox = new SandboxGraph(em, secrets, api.url);
  await sandbox.load();
  return new MessengerSimulator(em, secrets, sandbox, api.url);
}

describe('the demo business', () => {
  it('is seeded once, with a sandbox page, and the logins shown on the login page work', async () => {
    await resetDemoTenant(seedDependencies());
    await ensureDemoTenant(seedDependencies()); // a second seed changes nothing

    const em = api.orm.em.fork();
    const tenants = await em.find(Tenant, { isDemo: true });
    expect(tenants).toHaveLength(1);
    const page = await em.findOneOrFail(
      FacebookPage,
      { tenant: tenants[0]!, sandbox: true },
      { filters: { [TENANT_FILTER]: false } },
    );
    expect(page.openAccessToken(new SecretBox(api.config.encryptionKey))).toMatch(
      new RegExp(`^${SANDBOX_TOKEN_PREFIX}`),
    );

    const logins = await demoLogins();
    expect(logins.map((login) => login.email)).toEqual(DEMO_LOGINS.map((login) => login.email));
    const adminToken = await signIn(logins[0]!);
    const me = await api.request('GET', '/api/me', { token: adminToken });
    expect(me.body.tenant).toMatchObject({ name: 'Omni Demo Coffee', demo: true });
    const pages = await api.request('GET', '/api/channels/facebook', { token: adminToken });
    expect(pages.body.items).toMatchObject([{ name: 'Omni Demo Café', sandbox: true }]);
    for (const login of logins.slice(1)) await signIn(login);
  });

  it('lets the reviewer work chats and open the kit, and nothing of the admin area', async () => {
    const logins = await demoLogins();
    const reviewer = await signIn(logins.find((login) => login.role === 'reviewer')!);
    const operator = await signIn(logins.find((login) => login.role === 'operator')!);

    const kit = await api.request('GET', '/api/demo/review-kit', { token: reviewer });
    expect(kit.status).toBe(200);
    expect(kit.body).toMatchObject({
      loginUrl: `${api.config.publicUrl}/login`,
      simulatorUrl: `${api.config.publicUrl}/simulator`,
      pageName: 'Omni Demo Café',
      logins: [{ role: 'reviewer', email: 'reviewer@demo.omni.test' }],
    });
    // Its pages, for real-Page mode: here the sandbox page alone, with its m.me link.
    const [sandboxPage] = kit.body.pages;
    expect(kit.body.pages).toHaveLength(1);
    expect(sandboxPage).toMatchObject({ name: 'Omni Demo Café', sandbox: true });
    expect(sandboxPage.messengerUrl).toBe(`https://m.me/${sandboxPage.pageId}`);
    expect((await api.request('GET', '/api/demo/simulator', { token: reviewer })).status).toBe(200);
    expect((await api.request('GET', '/api/conversations', { token: reviewer })).status).toBe(200);
    const online = await api.request('PUT', '/api/me/status', {
      token: reviewer,
      body: { status: 'online' },
    });
    expect(online.status).toBe(200);
    for (const path of ['/api/operators', '/api/departments/x', '/api/channels/facebook']) {
      const method = path === '/api/departments/x' ? 'PATCH' : 'GET';
      const body = method === 'GET' ? undefined : { name: 'x' };
      const response = await api.request(method, path, { token: reviewer, body });
      expect(response.status, path).toBe(403);
    }

    // Operators have no kit; another business has no demo at all.
    expect((await api.request('GET', '/api/demo/review-kit', { token: operator })).status).toBe(
      403,
    );
    expect((await api.request('GET', '/api/demo/simulator', { token: operator })).status).toBe(403);
    const stranger = await signUpTenant(api);
    for (const path of ['/api/demo/review-kit', '/api/demo/simulator']) {
      expect((await api.request('GET', path, { token: stranger.token })).status, path).toBe(404);
    }
  });

  it('cannot be given the reviewer role through the API', async () => {
    const logins = await demoLogins();
    const admin = await signIn(logins[0]!);
    const response = await api.request('POST', '/api/operators', {
      token: admin,
      body: {
        email: 'new-reviewer@example.test',
        name: 'Sneaky',
        password: 'long enough',
        role: 'reviewer',
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('reset replaces everything: the old logins and sessions stop working, new ones work', async () => {
    const before = await demoLogins();
    const oldToken = await signIn(before[1]!);
    // A file the demo business kept (a picture a visitor sent).
    const storage = createFileStorage(api.config);
    const { tenant } = await demoAdmin(api.orm.em.fork() as EntityManager);
    const fileKey = `${tenant.id}/a-picture`;
    await storage.put(fileKey, Readable.from(Buffer.from('a picture')));
    await api.orm.em
      .fork()
      .persist(new StoredFile(tenant, fileKey, 'image/png', 9, 'a.png', null))
      .flush();

    await resetDemoTenant(seedDependencies());
    expect(await storage.open(fileKey)).toBeNull();

    const after = await demoLogins();
    expect(after[1]!.password).not.toBe(before[1]!.password);
    const stale = await api.request('POST', '/api/auth/login', {
      body: { email: before[1]!.email, password: before[1]!.password },
    });
    expect(stale.status).toBe(401);
    expect((await api.request('GET', '/api/me', { token: oldToken })).status).toBe(401);
    await signIn(after[1]!);
    const em = api.orm.em.fork();
    expect(await em.count(Tenant, { isDemo: true })).toBe(1);
    expect(
      await em.count(User, { email: before[1]!.email }, { filters: { [TENANT_FILTER]: false } }),
    ).toBe(1);
  });

  it('resets its conversations for a recording: the sandbox page is new, the logins stay, and only its admin may', async () => {
    const logins = await demoLogins();
    const adminToken = await signIn(logins[0]!);
    const reviewerToken = await signIn(logins.find((login) => login.role === 'reviewer')!);
    const { tenant, actor } = await demoAdmin(api.orm.em.fork() as EntityManager);
    await (await simulatorOf(tenant)).send(actor, { personaId: 'ivan', text: 'Before' });
    const storedDeliveries = () =>
      api.orm.em.fork().count(WebhookEvent, { tenant }, { filters: false });
    expect(await storedDeliveries()).toBeGreaterThan(0);
    const before = (await api.request('GET', '/api/demo/review-kit', { token: adminToken })).body;

    expect((await api.request('POST', '/api/demo/reset', { token: reviewerToken })).status).toBe(
      403,
    );
    const reset = await api.request('POST', '/api/demo/reset', { token: adminToken });
    expect(reset.status).toBe(204);

    // Whoever clicked is still signed in, with the same logins; the page is another one,
    // with nothing of the old one's, so the simulator's threads start empty.
    const after = await api.request('GET', '/api/demo/review-kit', { token: adminToken });
    expect(after.status).toBe(200);
    expect(after.body.pages[0].pageId).not.toBe(before.pages[0].pageId);
    expect(after.body.pages[0]).toMatchObject({ sandbox: true, name: 'Omni Demo Café' });
    expect(await demoLogins()).toEqual(logins);
    expect(await storedDeliveries()).toBe(0);
    const thread = await api.request('GET', '/api/demo/simulator/thread?personaId=ivan', {
      token: reviewerToken,
    });
    expect(thread.body.items).toEqual([]);
    const pages = await api.request('GET', '/api/channels/facebook', { token: adminToken });
    expect(pages.body.items).toMatchObject([{ sandbox: true, humanAgentEnabled: true }]);
    // A message to the new page goes through as before.
    const again = await (
      await simulatorOf(tenant)
    ).send(actor, { personaId: 'ivan', text: 'After' });
    expect(again.status).toBe('delivered');

    const stranger = await signUpTenant(api);
    expect((await api.request('POST', '/api/demo/reset', { token: stranger.token })).status).toBe(
      404,
    );
  });

  it('keeps its passwords: neither its admin nor the account itself can change one, and every login still works', async () => {
    const logins = await demoLogins();
    const adminToken = await signIn(logins[0]!);
    const users = await api.request('GET', '/api/operators', { token: adminToken });
    for (const user of users.body.items as { id: string; email: string }[]) {
      const change = await api.request('PATCH', `/api/operators/${user.id}`, {
        token: adminToken,
        body: { password: 'a brand new password' },
      });
      expect(change.status, user.email).toBe(403);
      expect(change.body.error.code).toBe('DEMO_ACCOUNT');
    }
    for (const login of logins) {
      const ownChange = await api.request('PUT', '/api/me/password', {
        token: await signIn(login),
        body: { currentPassword: login.password, newPassword: 'a brand new password' },
      });
      expect(ownChange.status, login.email).toBe(403);
      expect(ownChange.body.error.code).toBe('DEMO_ACCOUNT');
    }
    for (const login of logins) {
      expect(describePasswordWeakness(login.password)).toBeNull(); // the rule for new passwords
      await signIn(login);
    }
  });

  it('keeps its logins without a second factor, even when the business asks admins for one', async () => {
    const logins = await demoLogins();
    const adminToken = await signIn(logins[0]!);
    for (const login of logins) {
      const setup = await api.request('POST', '/api/me/2fa/setup', { token: await signIn(login) });
      expect(setup.status, login.email).toBe(403);
      expect(setup.body.error.code).toBe('DEMO_ACCOUNT');
    }
    const required = await api.request('PATCH', '/api/settings', {
      token: adminToken,
      body: { require2faForAdmins: true },
    });
    expect(required.status).toBe(200);
    try {
      // Its admin could never comply, so the rule does not hold them back.
      expect((await api.request('GET', '/api/departments', { token: adminToken })).status).toBe(
        200,
      );
    } finally {
      await api.request('PATCH', '/api/settings', {
        token: adminToken,
        body: { require2faForAdmins: false },
      });
    }
  });

  it('cannot be locked out by strangers: guesses from many addresses leave a new one alone', async () => {
    const reviewer = (await demoLogins()).find((login) => login.role === 'reviewer')!;
    const { perEmailAndAddress, perEmailFromNewAddresses } = LOGIN_LIMITS;
    const strangers = Array.from(
      { length: Math.ceil(perEmailFromNewAddresses.points / perEmailAndAddress.points) + 1 },
      randomClientAddress,
    );
    await Promise.all(
      strangers.map(async (address) => {
        for (let attempt = 0; attempt <= perEmailAndAddress.points; attempt++) {
          await api.request('POST', '/api/auth/login', {
            body: { email: reviewer.email, password: `a guess ${attempt}` },
            headers: fromAddress(address),
          });
        }
      }),
    );
    const fromReviewer = await api.request('POST', '/api/auth/login', {
      body: { email: reviewer.email, password: reviewer.password },
      headers: fromAddress(randomClientAddress()),
    });
    expect(fromReviewer.status).toBe(200);
  });

  it('logs the logins with their passwords on a developer console, never in production', async () => {
    const seedLogging = async (isProduction: boolean) => {
      const lines: string[] = [];
      const stream = new PassThrough();
      stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
      await resetDemoTenant(seedDependencies({ isProduction, logger: pino(stream) }));
      await new Promise((resolve) => setImmediate(resolve));
      return { log: lines.join(''), logins: await demoLogins() };
    };
    const production = await seedLogging(true);
    expect(production.log).toContain('Created the demo business');
    for (const login of production.logins) {
      expect(production.log).toContain(login.email);
      expect(production.log).not.toContain(login.password);
    }
    const development = await seedLogging(false);
    for (const login of development.logins) expect(development.log).toContain(login.password);
  });

  it('outside demo mode shows no logins and no kit', async () => {
    const em = api.orm.em.fork() as EntityManager;
    const demo = new DemoService(em, { ...api.config, demoMode: false });
    expect(await demo.info()).toEqual({ enabled: false, logins: [] });
    const { actor } = await demoAdmin(em);
    await expect(demo.reviewKit(actor)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the Messenger simulator', () => {
  it('posts signed webhooks that the callback URL accepts, and shows what the visitor sees', async () => {
    const em = api.orm.em.fork() as EntityManager;
    const { tenant, actor } = await demoAdmin(em);
    scopeToTenant(em, tenant.id); // as a request of the demo admin would be
    const secrets = new SecretBox(api.config.encryptionKey);
    const sandbox = new SandboxGraph(em, secrets, api.url);
    await sandbox.load();
    // The test api listens on an ephemeral port: the callback URL is built on it.
    const simulator = new MessengerSimulator(em, secrets, sandbox, api.url);
    const storedDeliveries = () =>
      api.orm.em.fork().count(WebhookEvent, { tenant }, { filters: false });

    const before = await storedDeliveries();
    const item = await simulator.send(actor, { personaId: 'maya', text: 'Do you have oat milk?' });
    expect(item).toMatchObject({
      from: 'visitor',
      text: 'Do you have oat milk?',
      status: 'delivered',
    });
    expect(await storedDeliveries()).toBe(before + 1);

    // What Omni sends through the sandbox Graph API reaches the visitor's thread.
    const page = await em.findOneOrFail(FacebookPage, { sandbox: true });
    const psid = personaPsid(page.pageId, 'maya');
    const now = Date.now();
    sandbox.graph.recordSenderAction({
      pageId: page.pageId,
      recipientId: psid,
      action: 'mark_seen',
      at: new Date(now),
    });
    sandbox.graph.recordMessage({
      pageId: page.pageId,
      recipientId: psid,
      messageId: 'm_reply',
      messagingType: 'RESPONSE',
      tag: null,
      message: { text: 'We do!' },
      text: 'We do!',
      metadata: null,
      at: new Date(now + 1),
    });
    // A message with quick replies (a survey, the department menu) carries them as buttons.
    const billing = { content_type: 'text', title: 'Billing', payload: 'DEPARTMENT:c:d' };
    sandbox.graph.recordMessage({
      pageId: page.pageId,
      recipientId: psid,
      messageId: 'm_menu',
      messagingType: 'RESPONSE',
      tag: null,
      message: { text: 'Who would you like to talk to?', quick_replies: [billing] },
      text: 'Who would you like to talk to?',
      metadata: null,
      at: new Date(now + 2),
    });
    const thread = await simulator.thread(actor, 'maya');
    expect(
      thread.items.map((entry) => [entry.from, entry.text, entry.status, entry.quickReplies]),
    ).toEqual([
      ['visitor', 'Do you have oat milk?', 'seen', []],
      ['page', 'We do!', null, []],
      [
        'page',
        'Who would you like to talk to?',
        null,
        [{ title: 'Billing', payload: 'DEPARTMENT:c:d' }],
      ],
    ]);

    // The visitor reads the reply: delivery and read receipts, one more signed delivery.
    await simulator.markRead(actor, 'maya');
    expect(await storedDeliveries()).toBe(before + 2);
    await expect(simulator.send(actor, { personaId: 'nobody', text: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it("dates a visitor's message back for the Human Agent screencast, and shows the reply's tag", async () => {
    const em = api.orm.em.fork() as EntityManager;
    const { tenant, actor } = await demoAdmin(em);
    scopeToTenant(em, tenant.id);
    const secrets = new SecretBox(api.config.encryptionKey);
    const sandbox = new SandboxGraph(em, secrets, api.url);
    await sandbox.load();
    const posted: string[] = [];
    const simulator = new MessengerSimulator(em, secrets, sandbox, api.url, (url, init) => {
      posted.push(String(init?.body));
      return fetch(url, init);
    });

    const item = await simulator.send(actor, {
      personaId: 'sofia',
      text: 'Yesterday’s order?',
      hoursAgo: 25,
    });
    const hoursAgo = (Date.now() - Date.parse(item.at)) / 3_600_000;
    expect(hoursAgo).toBeGreaterThan(24.9);
    expect(hoursAgo).toBeLessThan(25.1);
    // Facebook's timestamp, from which Omni counts the reply window, is the backdated one.
    const [delivered] = JSON.parse(posted[0]!).entry[0].messaging;
    expect(delivered.timestamp).toBe(Date.parse(item.at));

    const page = await em.findOneOrFail(FacebookPage, { sandbox: true });
    sandbox.graph.recordMessage({
      pageId: page.pageId,
      recipientId: personaPsid(page.pageId, 'sofia'),
      messageId: 'm_human_agent_reply',
      messagingType: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'Sorry for the wait!' },
      text: 'Sorry for the wait!',
      metadata: null,
      at: new Date(),
    });
    const thread = await simulator.thread(actor, 'sofia');
    expect(thread.items.map((entry) => [entry.from, entry.tag])).toEqual([
      ['visitor', null],
      ['page', 'HUMAN_AGENT'],
    ]);
  });

  it('answers the first Graph call for a sandbox page another process has just made', async () => {
    const secrets = new SecretBox(api.config.encryptionKey);
    const graph = new FetchGraphClient({
      baseUrl: `${api.url}${SANDBOX_GRAPH_PATH}`,
      version: api.config.facebookGraphVersion,
    });
    const credentialsOf = async () => {
      const page = await api.orm.em
        .fork()
        .findOneOrFail(FacebookPage, { sandbox: true }, { filters: false });
      return {
        pageId: page.pageId,
        ...page.openCredentials(secrets),
      };
    };
    await ensureDemoTenant(seedDependencies());
    // The api's sandbox has just answered for the current page…
    const before = await credentialsOf();
    expect(await graph.getPageIdentity(before)).toMatchObject({ id: before.pageId });
    // …when demo:reset, in its own process, replaces it with a new page and token.
    await resetDemoTenant(seedDependencies());
    const after = await credentialsOf();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(await graph.getPageIdentity(after)).toMatchObject({ id: after.pageId });
    const maya = await graph.getUserProfile(personaPsid(after.pageId, 'maya'), after);
    expect(maya).toMatchObject({ firstName: 'Maya', lastName: 'Rahman' });
    // Set up from the start, as the seeder says: subscribed to the app.
    expect(await graph.getSubscribedFields(after.pageId, after)).toEqual([...SUBSCRIBED_FIELDS]);
    // A token no page has is still refused as Facebook would.
    await expect(
      graph.getPageIdentity({ accessToken: `${SANDBOX_TOKEN_PREFIX}nope`, appSecret: 'x' }),
    ).rejects.toMatchObject({ kind: 'invalid_token' });
  });

  it('sends each call of a sandbox page to the sandbox Graph API, every other to Facebook', async () => {
    const calls: string[] = [];
    const fake = (name: string) =>
      ({
        getPageIdentity: async () => {
          calls.push(name);
          return { id: '1', name };
        },
      }) as unknown as GraphClient;
    const graph = new SandboxAwareGraphClient(fake('facebook'), fake('sandbox'));
    await graph.getPageIdentity({ accessToken: `${SANDBOX_TOKEN_PREFIX}abc`, appSecret: 's' });
    await graph.getPageIdentity({ accessToken: 'EAAGreal', appSecret: 's' });
    expect(calls).toEqual(['sandbox', 'facebook']);
  });
});
