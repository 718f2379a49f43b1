import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadConfig, type Config } from '../config.js';
import { initOrm } from '../db/orm.js';
import { JobQueues } from '../jobs/job-queues.js';
import { createLogger } from '../logger.js';
import { createRedis } from '../redis.js';
import { startApi } from '../server.js';

/** Configuration for this test run: the run's database and Redis prefix, quiet logs. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: inject('redisPrefix'),
    PORT: '1', // replaced by an ephemeral port below
    LOG_LEVEL: 'silent',
    SEED_DEMO_DATA: 'false',
    MIGRATE_ON_START: 'false',
    ...overrides,
  });
}

export type TestResponse<T = any> = { status: number; body: T; headers: Headers }; // eslint-disable-line @typescript-eslint/no-explicit-any

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;

/** The real api (Koa, socket.io, PostgreSQL, Redis) on an ephemeral port, and a tiny client. */
export async function startTestApi(overrides: Record<string, string> = {}) {
  const config = { ...testConfig(overrides), port: 0, host: '127.0.0.1' };
  const logger = createLogger(config);
  const orm = await initOrm(config);
  const redis = createRedis(config, 'test', logger);
  const queues = new JobQueues(redis, config.redisPrefix);
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
    request,
    async stop() {
      await api.stop();
      await queues.close();
      redis.disconnect();
      await orm.close();
    },
  };
}

/**
 * Starts the api before the file's tests and stops it after them. The returned object
 * forwards to the running api, so tests read `api.request(...)` as usual.
 */
export function useTestApi(overrides: Record<string, string> = {}): TestApi {
  let current: TestApi | undefined;
  beforeAll(async () => {
    current = await startTestApi(overrides);
  });
  afterAll(() => current?.stop());
  return new Proxy({} as TestApi, {
    get(_target, property: keyof TestApi) {
      if (!current) throw new Error('The test api starts in beforeAll; use it inside tests.');
      return current[property];
    },
  });
}

export const uniqueEmail = (label = 'user') =>
  `${label}-${randomBytes(5).toString('hex')}@example.test`;

export type SignedIn = {
  token: string;
  user: { id: string; email: string; role: string; departmentIds: string[] };
  tenant: { id: string; key: string; name: string };
};

/** A fresh tenant with its admin, signed in: every test starts from its own tenant. */
export async function signUpTenant(
  api: TestApi,
  name = 'Test Co',
): Promise<SignedIn & { password: string }> {
  const password = 'correct horse battery';
  const response = await api.request('POST', '/api/auth/signup', {
    body: { tenantName: name, name: 'Admin', email: uniqueEmail('admin'), password },
  });
  if (response.status !== 201) throw new Error(`signup failed: ${JSON.stringify(response.body)}`);
  return { ...(response.body as SignedIn), password };
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
