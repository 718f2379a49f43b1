import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisKeys } from './redis.js';
import { createOwnTestEnvironment } from './testing/test-api.js';
import type { TestEnvironment } from './testing/test-environment.js';

const backendDir = fileURLToPath(new URL('..', import.meta.url));

type LogLine = { msg?: string; pid?: number; restartInMs?: number };

let omni: ChildProcess | undefined;
let environment: TestEnvironment | undefined;
afterAll(async () => {
  if (omni && omni.exitCode === null) omni.kill('SIGKILL');
  await environment?.dispose();
});

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `npm start` (role `all`) from the sources, on a database and Redis prefix of its own. */
async function startOmni(): Promise<{ process: ChildProcess; logs: LogLine[]; url: string }> {
  environment = await createOwnTestEnvironment('test_all_role');
  const port = await findFreePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'all'], {
    cwd: backendDir,
    env: {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: environment.databaseUrl,
      REDIS_URL: environment.redisUrl,
      REDIS_PREFIX: environment.redisPrefix,
      LOG_LEVEL: 'info',
      SEED_DEMO_DATA: 'false',
      FACEBOOK_GRAPH_URL: 'http://127.0.0.1:9', // no page here; nothing may reach Facebook
      STORAGE_DIR: join(tmpdir(), `${environment.redisPrefix}-files`),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  omni = child;
  const logs: LogLine[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line
      }
    }
  });
  return { process: child, logs, url: `http://127.0.0.1:${port}` };
}

const workerPids = (logs: LogLine[]) =>
  logs.filter((line) => line.msg === 'worker process started').map((line) => line.pid);

describe('npm start (role all)', () => {
  it('restarts a crashed worker process, says so, and still stops cleanly on SIGTERM', async () => {
    const { process: api, logs, url } = await startOmni();
    const health = () =>
      fetch(`${url}/health`)
        .then((response) => response.json() as Promise<{ worker?: string }>)
        .catch(() => ({ worker: 'unreachable' }));
    await expect.poll(health, { timeout: 60_000, interval: 500 }).toMatchObject({ worker: 'ok' });
    const [firstPid] = workerPids(logs);
    expect(firstPid).toBeTypeOf('number');

    process.kill(firstPid!, 'SIGKILL');
    const killedAt = Date.now();

    await expect.poll(() => workerPids(logs).length, { timeout: 10_000, interval: 200 }).toBe(2);
    expect(workerPids(logs)[1]).not.toBe(firstPid);
    expect(logs).toContainEqual(
      expect.objectContaining({
        msg: 'the worker process stopped; restarting it',
        restartInMs: 1_000,
      }),
    );
    // The new worker reports in: a heartbeat written after the kill.
    const redis = new Redis(environment!.redisUrl);
    try {
      await expect
        .poll(
          async () =>
            Date.parse(
              (await redis.get(redisKeys.workerHeartbeat(environment!.redisPrefix))) ?? '0',
            ),
          { timeout: 30_000, interval: 250 },
        )
        .toBeGreaterThan(killedAt);
    } finally {
      redis.disconnect();
    }
    expect(api.exitCode).toBeNull();

    const exitCode = new Promise<number | null>((resolve) =>
      api.once('exit', (code) => resolve(code)),
    );
    api.kill('SIGTERM');
    expect(await exitCode).toBe(0);
  }, 120_000);
});
