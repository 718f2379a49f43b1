import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestEnvironment,
  registerRandomPage,
  startFakeGraphServer,
} from '@omni/backend/testing';
import type { TestProject } from 'vitest/node';
import { startFakeGraphControl } from './fake-graph-control.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** A page the fake Graph API knows, for tests that connect one. */
    fakePage: { pageId: string; name: string; accessToken: string; appSecret: string };
    /** Controls of the fake Graph API for the tests (see fake-graph-control.ts). */
    fakeGraphControlUrl: string;
    /** The environment Omni runs with, for one-off commands (npm run demo:seed). */
    omniEnvironment: Record<string, string>;
  }
}

const backendEntry = fileURLToPath(new URL('../../backend/dist/main.js', import.meta.url));
const panelIndex = fileURLToPath(new URL('../../frontend/dist/index.html', import.meta.url));

/**
 * Starts the built Omni (api + worker in one process, serving the built panel) against a
 * private database and Redis prefix, exactly as `npm start` runs it; stops it with SIGTERM
 * at the end, which also checks that it shuts down gracefully.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  for (const file of [backendEntry, panelIndex]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first.`);
  }
  const environment = await createTestEnvironment({
    databaseServerUrl:
      process.env['TEST_DATABASE_SERVER_URL'] ?? 'postgres://postgres@127.0.0.1:5432',
    redisUrl: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    label: 'e2e',
  });
  // Facebook is unreachable here: Omni talks to the project's fake Graph API.
  const fakeGraph = await startFakeGraphServer();
  const fakePage = registerRandomPage(fakeGraph, { name: 'Acme Coffee' });
  const control = await startFakeGraphControl(fakeGraph);
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Demo mode is on (as in development), so the demo e2e can seed the demo business; the
  // other tests make their own businesses and never see it.
  const omniEnvironment = {
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    DATABASE_URL: environment.databaseUrl,
    REDIS_URL: environment.redisUrl,
    REDIS_PREFIX: environment.redisPrefix,
    SEED_DEMO_DATA: 'false',
    DEMO_MODE: 'true',
    FACEBOOK_GRAPH_URL: fakeGraph.url,
    STORAGE_DIR: join(tmpdir(), `${environment.redisPrefix}-files`),
    LOG_LEVEL: 'warn',
    // Every test signs up its own business, all from 127.0.0.1.
    SIGNUP_LIMIT_PER_HOUR: '1000',
  };
  const omni = spawn(process.execPath, [backendEntry, 'all'], {
    env: { ...process.env, ...omniEnvironment },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitForHealth(baseUrl, omni);
  } catch (error) {
    omni.kill('SIGKILL');
    await control.close();
    await fakeGraph.close();
    await environment.dispose();
    throw error;
  }
  project.provide('baseUrl', baseUrl);
  project.provide('fakeGraphControlUrl', control.url);
  project.provide('omniEnvironment', omniEnvironment);
  project.provide('fakePage', {
    pageId: fakePage.pageId,
    name: fakePage.name,
    accessToken: fakePage.accessToken,
    appSecret: fakePage.appSecret,
  });

  return async () => {
    const exitCode = await stopGracefully(omni);
    await control.close();
    await fakeGraph.close();
    await environment.dispose();
    if (exitCode !== 0) throw new Error(`Omni exited with code ${exitCode} on SIGTERM`);
  };
}

async function waitForHealth(baseUrl: string, omni: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (omni.exitCode !== null) throw new Error(`Omni exited early with code ${omni.exitCode}`);
    const isHealthy = await fetch(`${baseUrl}/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (isHealthy) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('Omni did not become healthy within 30 s');
}

function stopGracefully(omni: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    const killer = setTimeout(() => omni.kill('SIGKILL'), 15_000);
    omni.once('exit', (code) => {
      clearTimeout(killer);
      resolve(code);
    });
    omni.kill('SIGTERM');
  });
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
