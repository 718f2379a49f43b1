import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Testing from '@omni/backend/testing';
import { findFreePort, startOmni, stopChild, waitUntilReady, type Child } from './processes.js';

type FakeGraphServer = Awaited<ReturnType<typeof Testing.startFakeGraphServer>>;
type TestEnvironment = Awaited<ReturnType<typeof Testing.createTestEnvironment>>;

/** What a benchmark runs against: its own database and Redis prefix, a fake Graph, Omni. */
export type BenchOmni = {
  environment: TestEnvironment;
  graph: FakeGraphServer;
  baseUrl: string;
  children: Child[];
};

/**
 * Sets up a private database and Redis prefix, the fake Graph API and the built Omni (in
 * the roles asked for), and waits until it answers `/health`. Each part's undoing is pushed
 * on `cleanups` as soon as it exists, so an interrupted run leaves nothing behind.
 */
export async function startBenchOmni(options: {
  testing: typeof Testing;
  /** Names the database, the Redis prefix and the log folder. */
  label: string;
  databaseServerUrl: string;
  redisUrl: string;
  entry: string;
  roles: 'all' | 'split';
  nodeArgs?: string[];
  /** Leaves the database at the end (its URL is printed); Redis keys go as usual. */
  keepDatabase?: boolean;
  cleanups: (() => Promise<unknown>)[];
}): Promise<BenchOmni> {
  const { testing, cleanups, redisUrl } = options;
  console.log('Setting up a private database and Redis prefix…');
  const environment = await testing.createTestEnvironment({
    databaseServerUrl: options.databaseServerUrl,
    redisUrl,
    label: `bench_${options.label}`,
  });
  cleanups.push(
    options.keepDatabase
      ? async () => {
          await testing.deleteRedisKeys(redisUrl, environment.redisPrefix);
          console.log(`Database kept: ${environment.databaseUrl}`);
        }
      : () => environment.dispose(),
  );
  const graph = await testing.startFakeGraphServer();
  cleanups.push(() => graph.close());
  const logDir = mkdtempSync(join(tmpdir(), `omni-bench-${options.label}-`));
  cleanups.push(async () => rmSync(logDir, { recursive: true, force: true }));

  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const children = startOmni({
    entry: options.entry,
    roles: options.roles,
    port,
    databaseUrl: environment.databaseUrl,
    redisUrl,
    redisPrefix: environment.redisPrefix,
    graphUrl: graph.url,
    panelDir: join(logDir, 'no-panel'),
    logLevel: 'warn',
    logDir,
    nodeArgs: options.nodeArgs ?? [],
  });
  cleanups.push(() => Promise.all(children.map((child) => stopChild(child))));
  await waitUntilReady(`${baseUrl}/health`, children);
  return { environment, graph, baseUrl, children };
}
