import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, inject } from 'vitest';
import { FACEBOOK_ATTACHMENT_HOSTS, loadConfig, type Config } from '../config.js';
import { initOrm } from '../db/orm.js';
import { JobQueues } from '../jobs/job-queues.js';
import { createLogger } from '../logger.js';
import { createRedis } from '../redis.js';
import { startApi } from '../api.js';
import { startWorker } from '../worker.js';
import { Contact } from '../modules/conversations/contact.entity.js';
import { Conversation } from '../modules/conversations/conversation.entity.js';
import { Message } from '../modules/conversations/message.entity.js';
import { FacebookPage } from '../modules/facebook/facebook-page.entity.js';
import { FAKE_CDN_PATH } from '../modules/fake-graph/fake-graph-router.js';
import { startFakeGraphServer } from '../modules/fake-graph/fake-graph-server.js';
import { registerRandomPage } from './fake-graph-fixtures.js';
import { createTestEnvironment, type TestEnvironment } from './test-environment.js';
import { scopeToTenant } from '../db/tenant-filter.js';
import { SessionsService } from '../modules/auth/sessions.service.js';
import { TokenService } from '../modules/auth/token.service.js';
import { User } from '../modules/operators/user.entity.js';
import { createHmac } from 'node:crypto';

/** Configuration for this test run: the run's database and Redis prefix, quiet logs. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: inject('redisPrefix'),
    PORT: '1', // replaced by an ephemeral port below
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent', // TEST_LOG_LEVEL=warn to debug a test
    SEED_DEMO_DATA: 'false',
    MIGRATE_ON_START: 'false',
    STORAGE_DIR: join(tmpdir(), `omni-test-files-${inject('redisPrefix')}`),
    // Every test file signs up from 127.0.0.1 into one Redis prefix; auth.test.ts tests the limit.
    SIGNUP_LIMIT_PER_HOUR: '1000000',
    ...overrides,
  });
}

export type TestResponse<T = any> = { status: number; body: T; headers: Headers }; // eslint-disable-line @typescript-eslint/no-explicit-any

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;

/**
 * The real api (Koa, socket.io, PostgreSQL, Redis) on an ephemeral port, talking to its own
 * fake Graph API, and a tiny client.
 */
export async function startTestApi(overrides: Record<string, string> = {}) {
  const fakeGraph = await startFakeGraphServer();
  const config = {
    ...testConfig({
      FACEBOOK_GRAPH_URL: fakeGraph.url,
      // Facebook's CDNs and, on loopback, exactly the fake CDN's path (fakeGraph.cdnUrl).
      ATTACHMENT_URL_ALLOWLIST: [
        ...FACEBOOK_ATTACHMENT_HOSTS,
        `${fakeGraph.url}${FAKE_CDN_PATH}`,
      ].join(','),
      ...overrides,
    }),
    port: 0,
    host: '127.0.0.1',
  };
  const logger = createLogger(config);
  const orm = await initOrm(config);
  const redis = createRedis(config, 'test', logger);
  const queues = new JobQueues(redis, config.redisPrefix, logger);
  const api = await startApi({ config, orm, redis, queues, logger });
  const url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;

  async function request<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any
    method: string,
    path: string,
    options: {
      body?: unknown;
      token?: string;
      rawBody?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(url + path, { method, headers, body });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('application/json');
    return {
      status: response.status,
      body: isJson && text ? JSON.parse(text) : text,
      headers: response.headers,
    };
  }

  return {
    url,
    config,
    orm,
    fakeGraph,
    request,
    async stop() {
      await api.stop();
      await queues.close();
      redis.disconnect();
      await orm.close();
      await fakeGraph.close();
    },
  };
}

/**
 * Starts the api before the file's tests and stops it after them. The returned object
 * forwards to the running api, so tests read `api.request(...)` as usual. With
 * `ownDatabase`, the file gets a database and Redis prefix of its own: for tests that work
 * on every pending row, which another file's worker would otherwise take too.
 */
export function useTestApi(
  overrides: Record<string, string> = {},
  options: { ownDatabase?: boolean } = {},
): TestApi {
  let current: TestApi | undefined;
  let environment: TestEnvironment | undefined;
  beforeAll(async () => {
    if (options.ownDatabase) {
      environment = await createOwnTestEnvironment('test_file');
      overrides = {
        DATABASE_URL: environment.databaseUrl,
        REDIS_PREFIX: environment.redisPrefix,
        ...overrides,
      };
    }
    current = await startTestApi(overrides);
  });
  afterAll(async () => {
    await current?.stop();
    await environment?.dispose();
  });
  return new Proxy({} as TestApi, {
    get(_target, property: keyof TestApi) {
      if (!current) throw new Error('The test api starts in beforeAll; use it inside tests.');
      return current[property];
    },
  });
}

/** A database and Redis prefix of their own, on the test run's servers. */
export function createOwnTestEnvironment(label: string): Promise<TestEnvironment> {
  const databaseServer = new URL(inject('databaseUrl'));
  databaseServer.pathname = '';
  return createTestEnvironment({
    databaseServerUrl: databaseServer.toString(),
    redisUrl: inject('redisUrl'),
    label,
  });
}

export const uniqueEmail = (label = 'user') =>
  `${label}-${randomBytes(5).toString('hex')}@example.test`;

/** An address of the documentation range 2001:db8::/32, a fresh /64 (one limit key) each time. */
export const randomClientAddress = () =>
  `2001:db8:${randomBytes(4)
    .toString('hex')
    .replace(/(.{4})/, '$1:')}::1`;

/** Headers that make a request come from `address` when the api has TRUST_PROXY on. */
export const fromAddress = (address: string) => ({ 'x-forwarded-for': address });

export type SignedIn = {
  token: string;
  user: { id: string; email: string; role: string; departmentIds: string[] };
  tenant: { id: string; key: string; name: string; callbackUrl: string };
};

/** A fresh tenant with its admin, signed in: every test starts from its own tenant. */
export async function signUpTenant(
  api: TestApi,
  name = 'Test Co',
): Promise<SignedIn & { password: string }> {
  const password = 'correct horse battery';
  const response = await api.request('POST', '/api/auth/signup', {
    body: { tenantName: name, name: 'Admin', email: uniqueEmail('admin'), password },
    // Under TRUST_PROXY, each sign-up from its own address: tests do not share a limit.
    headers: fromAddress(randomClientAddress()),
  });
  if (response.status !== 201) throw new Error(`signup failed: ${JSON.stringify(response.body)}`);
  return { ...(response.body as SignedIn), password };
}

/** A session token for a user written straight into the database (who has no password). */
export async function openSessionFor(
  api: TestApi,
  user: { userId: string; tenantId: string },
): Promise<string> {
  const em = api.orm.em.fork();
  scopeToTenant(em, user.tenantId);
  const sessions = new SessionsService(em, new TokenService(api.config), {
    disconnect: () => {},
    leave: () => {},
  });
  return sessions.open(await em.findOneOrFail(User, user.userId));
}

export async function createDepartment(
  api: TestApi,
  token: string,
  name = `Dept ${randomBytes(3).toString('hex')}`,
) {
  const response = await api.request('POST', '/api/departments', { token, body: { name } });
  if (response.status !== 201)
    throw new Error(`department failed: ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string };
}

/** Creates an operator through the API and signs them in. */
export async function createOperator(
  api: TestApi,
  adminToken: string,
  fields: Partial<{
    role: string;
    departmentIds: string[];
    maxChats: number | null;
    name: string;
  }> = {},
): Promise<SignedIn> {
  const email = uniqueEmail('operator');
  const password = 'operator password';
  const created = await api.request('POST', '/api/operators', {
    token: adminToken,
    body: { email, password, name: 'Operator', role: 'operator', departmentIds: [], ...fields },
  });
  if (created.status !== 201) throw new Error(`operator failed: ${JSON.stringify(created.body)}`);
  const login = await api.request('POST', '/api/auth/login', { body: { email, password } });
  return login.body as SignedIn;
}

export type ConnectedPage = {
  /** The page as the API returns it. */
  page: { id: string; pageId: string; verifyToken: string; callbackUrl: string } & Record<
    string,
    unknown
  >;
  accessToken: string;
  appSecret: string;
};

/** Registers a page on the fake Graph API and connects it through the API, as an admin would. */
export async function connectFacebookPage(
  api: TestApi,
  adminToken: string,
  fields: Partial<{
    name: string;
    departmentId: string | null;
    humanAgentEnabled: boolean;
    verifyToken: string;
  }> = {},
): Promise<ConnectedPage> {
  const fake = registerRandomPage(api.fakeGraph);
  const response = await api.request('POST', '/api/channels/facebook', {
    token: adminToken,
    body: {
      name: 'Main page',
      accessToken: fake.accessToken,
      appSecret: fake.appSecret,
      ...fields,
    },
  });
  if (response.status !== 201) throw new Error(`page failed: ${JSON.stringify(response.body)}`);
  return { page: response.body, accessToken: fake.accessToken, appSecret: fake.appSecret };
}

/**
 * Another page of the same Facebook app as `first` (so the same app secret: Facebook may
 * batch both pages' entries into one delivery), connected through the API.
 */
export async function connectPageOfSameApp(
  api: TestApi,
  adminToken: string,
  first: ConnectedPage,
): Promise<ConnectedPage> {
  const fake = registerRandomPage(api.fakeGraph, { appSecret: first.appSecret });
  const response = await api.request('POST', '/api/channels/facebook', {
    token: adminToken,
    body: { name: 'Same app', accessToken: fake.accessToken, appSecret: fake.appSecret },
  });
  if (response.status !== 201) throw new Error(`page failed: ${JSON.stringify(response.body)}`);
  return { page: response.body, accessToken: fake.accessToken, appSecret: fake.appSecret };
}

/** Headers Facebook sends with a delivery: the HMAC-SHA256 of the exact bytes with the app secret. */
export function signedHeaders(rawBody: string, appSecret: string): Record<string, string> {
  const signature = createHmac('sha256', appSecret).update(rawBody).digest('hex');
  return { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` };
}

/** A worker process for the test api's database and Redis prefix (jobs, sweeps, realtime). */
export async function startTestWorker(api: TestApi): Promise<{ stop: () => Promise<void> }> {
  const { config } = api;
  const logger = createLogger(config);
  const orm = await initOrm(config);
  const redis = createRedis(config, 'test-worker', logger);
  const queues = new JobQueues(redis, config.redisPrefix, logger);
  const worker = await startWorker({ config, orm, redis, queues, logger });
  return {
    async stop() {
      await worker.stop();
      await queues.close();
      redis.disconnect();
      await orm.close();
    },
  };
}

/** A worker for the file's test api (startTestWorker): started before its tests, stopped after. */
export function useTestWorker(api: TestApi): void {
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  beforeAll(async () => {
    worker = await startTestWorker(api);
  });
  afterAll(() => worker?.stop());
}

/** POSTs a delivery to the tenant's webhook, signed like Facebook signs it. */
export async function postDelivery(
  api: TestApi,
  tenantKey: string,
  body: unknown,
  appSecret: string,
): Promise<TestResponse> {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  return api.request('POST', `/api/webhooks/facebook/${tenantKey}`, {
    rawBody,
    headers: signedHeaders(rawBody, appSecret),
  });
}

/**
 * Writes a conversation with `count` visitor messages a second apart straight into the
 * database, for tests about reading conversations rather than receiving them.
 */
export async function seedConversation(
  api: TestApi,
  pageRecordId: string,
  options: { count?: number; firstName?: string; text?: string } = {},
) {
  const em = api.orm.em.fork();
  const page = await em.findOneOrFail(FacebookPage, pageRecordId, {
    filters: false,
    populate: ['tenant', 'department'],
  });
  const contact = new Contact(page.tenant, page, `psid-${Math.random().toString(36).slice(2)}`);
  contact.firstName = options.firstName ?? null;
  const conversation = new Conversation(page.tenant, contact, page, page.department);
  const start = Date.now() - 1_000_000;
  const messages = Array.from({ length: options.count ?? 1 }, (_, index) => {
    const message = new Message(
      page.tenant,
      conversation,
      page,
      'in',
      'visitor',
      'text',
      new Date(start + index * 1000),
      `m_${Math.random()}`,
    );
    message.text = options.text ?? `message ${index + 1}`;
    return message;
  });
  contact.lastInboundAt = messages.at(-1)!.occurredAt;
  conversation.lastMessageAt = contact.lastInboundAt;
  await em.persist([contact, conversation, ...messages]).flush();
  return conversation;
}

/**
 * Adds visitor messages with these texts to a conversation straight into the database, a
 * second apart from `startAt` (by default a second after its last message), and moves its
 * last activity with them.
 */
export async function addVisitorMessages(
  api: TestApi,
  conversationId: string,
  texts: string[],
  startAt?: Date,
): Promise<Message[]> {
  const em = api.orm.em.fork();
  const conversation = await em.findOneOrFail(Conversation, conversationId, {
    filters: false,
    populate: ['tenant', 'page'],
  });
  const start = startAt?.getTime() ?? (conversation.lastMessageAt ?? new Date()).getTime() + 1000;
  const messages = texts.map((text, index) => {
    const message = new Message(
      conversation.tenant,
      conversation,
      conversation.page,
      'in',
      'visitor',
      'text',
      new Date(start + index * 1000),
      `m_${Math.random()}`,
    );
    message.text = text;
    return message;
  });
  conversation.lastMessageAt = messages.at(-1)?.occurredAt ?? conversation.lastMessageAt;
  await em.persist(messages).flush();
  return messages;
}

/** A seeded conversation (seedConversation) whose visitor the fake Graph API knows: replies go out. */
export async function seedConversationWithVisitor(
  api: TestApi,
  page: { id: string; pageId: string },
  options: Parameters<typeof seedConversation>[2] = {},
) {
  const conversation = await seedConversation(api, page.id, options);
  api.fakeGraph.registerUser({ pageId: page.pageId, psid: conversation.contact.psid });
  return conversation;
}

/**
 * A panel's socket.io connection as `token`'s user; `cleanup` collects it for disconnecting
 * after the suite.
 */
export function connectSocket(
  api: TestApi,
  token: string,
  cleanup: Socket[],
  transports = ['websocket'],
): Promise<Socket> {
  const socket = io(api.url, { auth: { token }, transports, reconnection: false });
  cleanup.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Resolves with the reason when the socket's connection ends ('io server disconnect': cut). */
export function disconnected(socket: Socket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}
