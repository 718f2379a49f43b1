/**
 * Omni's ingestion benchmark: signed Messenger deliveries POSTed to the built Omni (api +
 * worker), next to a bare Koa app that only answers 200, in the same run.
 *
 *   npm run build -w backend        # once: the benchmark runs backend/dist, as production does
 *   npm run bench:ingest            # = npx tsx bench/ingest/run.ts; --help for the options
 *
 * What it does, all on 127.0.0.1, and undone at the end even when it fails:
 *  1. a private PostgreSQL database and Redis key prefix (createTestEnvironment, migrated);
 *  2. the fake Graph API in this process, the built Omni (`node backend/dist/main.js all`,
 *     NODE_ENV=production, fresh secrets) and the bare Koa app (bare-koa.ts), each in its own
 *     process on a free port;
 *  3. a tenant signs up through the API and connects a page (checked against the fake Graph,
 *     where every visitor is registered so the worker's profile look-ups succeed);
 *  4. two phases, first against the bare Koa app (while Omni is idle), then against Omni,
 *     each server warmed up for 3 s first:
 *     - fixed rate: BENCH_RATE events/s (1,000) offered on a schedule (open loop): the
 *       acknowledgement latency at the target load;
 *     - saturation: BENCH_CONNECTIONS connections (50) each sending as soon as answered, for
 *       BENCH_DURATION seconds (20, autocannon): the most the api accepts;
 *     after each Omni phase it waits (BENCH_DRAIN_TIMEOUT, 15 s) for the worker to drain the
 *     backlog, then reads from PostgreSQL when every event was processed (the send time
 *     travels in each message text);
 *  5. prints a table and writes results/<date>.json; README.md explains every figure.
 * Worst case about two minutes with the defaults; a watchdog stops it after the printed bound.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import type * as Testing from '@omni/backend/testing';
import type * as Fixtures from '../../backend/dist/testing/messenger-fixtures.js';
import { importMessengerFixtures } from '../shared/backend-build.js';
import { childPidsOf, CpuMeter } from './cpu.js';
import { DeliveryFactory, psidOf } from './deliveries.js';
import { runFixedRate, runSaturation, type LoadResult } from './load.js';
import { parseOptions, type BenchOptions } from './options.js';
import {
  findFreePort,
  logSummary,
  sleep,
  startBareKoa,
  startOmni,
  stopChild,
  tail,
  waitUntilReady,
  type Child,
} from '../shared/processes.js';
import {
  cpuCosts,
  evaluateTarget,
  formatTable,
  OTHER_CPU_WARNING,
  type BenchResults,
  type PhaseResults,
  type ServerRun,
} from './report.js';
import { BenchDatabase, VisibilitySampler } from './storage.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const defaultBackendDist = join(root, 'backend/dist');

/** One visibility sample in this many deliveries (≈ 20 a second at 1,000/s). */
const VISIBILITY_SAMPLE_EVERY = 50;

type Setup = {
  omniUrl: string;
  baselineUrl: string | null;
  webhookPath: string;
  page: { pageId: string; appSecret: string };
  db: BenchDatabase;
  databaseUrl: string;
  pageRowId: string;
  fixtures: typeof Fixtures;
  omni: Child[];
  baseline: Child | null;
};

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  for (const file of ['main.js', 'testing/test-environment.js'].map((path) =>
    join(options.backendDist, path),
  )) {
    if (!existsSync(file))
      throw new Error(`${file} is missing: run "npm run build -w backend" first.`);
  }
  const budgetS =
    60 + 3 * options.rateDuration + 3 * options.duration + 3 * options.drainTimeout + 20;
  console.log(
    `Omni ingestion benchmark: fixed rate ${options.rate} events/s for ${options.rateDuration} s, ` +
      `saturation ${options.connections} connections for ${options.duration} s` +
      `${options.baseline ? ', each next to a bare Koa app' : ''}. At most ~${budgetS} s.`,
  );

  const cleanups: Array<{ name: string; run: () => Promise<unknown> }> = [];
  let cleanedUp: Promise<void> | null = null;
  const cleanUp = () =>
    (cleanedUp ??= (async () => {
      for (const { name, run } of cleanups.reverse()) {
        await run().catch((error: unknown) => console.error(`cleanup "${name}" failed:`, error));
      }
    })());
  const abort = (why: string) => {
    console.error(`\n${why}: stopping and cleaning up…`);
    void cleanUp().finally(() => process.exit(1));
  };
  process.once('SIGINT', () => abort('Interrupted'));
  process.once('SIGTERM', () => abort('Terminated'));
  const watchdog = setTimeout(() => abort(`Still running after ${budgetS} s`), budgetS * 1000);

  try {
    // Someone else's build or test suite on this machine skews every figure: say so up front.
    const quiet = new CpuMeter(() => ({}));
    quiet.begin();
    await sleep(2_000);
    const busyBeforeStart = quiet.end()?.machineBusy ?? null;
    console.log(
      busyBeforeStart !== null && busyBeforeStart >= OTHER_CPU_WARNING
        ? `WARNING: the machine is already busy (${busyBeforeStart} % of one core in use before the benchmark starts).`
        : `The machine is quiet (${busyBeforeStart ?? '?'} % of one core in use).`,
    );
    const setup = await prepare(options, cleanups);
    const results = await measureAll(options, setup, cleanups);
    results.machine.busyBeforeStart = busyBeforeStart;
    console.log(`\n${formatTable(results)}`);
    mkdirSync(options.resultsDir, { recursive: true });
    const file = join(options.resultsDir, `${results.date.replace(/:/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nWrote ${file.replace(root, '')}`);
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }
}

async function prepare(
  options: BenchOptions,
  cleanups: Array<{ name: string; run: () => Promise<unknown> }>,
): Promise<Setup> {
  // Imported only now, so that a missing build gets the sentence above, not a stack trace.
  // (@omni/backend/testing is backend/dist/testing/test-environment.js; --backend-dist may
  // point at another build, so everything is imported from the build that runs.)
  const fromDist = (path: string) =>
    import(pathToFileURL(join(options.backendDist, path)).href) as Promise<unknown>;
  const { createTestEnvironment, startFakeGraphServer } = (await fromDist(
    'testing/test-environment.js',
  )) as typeof Testing;
  const fixtures = await importMessengerFixtures(options.backendDist);

  const logDir = mkdtempSync(join(tmpdir(), 'omni-bench-'));
  cleanups.push({
    name: 'logs',
    run: async () =>
      options.keepLogs
        ? console.log(`Omni's logs: ${logDir}`)
        : rmSync(logDir, { recursive: true }),
  });

  process.stdout.write('Creating a private database and Redis prefix… ');
  const environment: Testing.TestEnvironment = await createTestEnvironment({
    databaseServerUrl: options.databaseServerUrl,
    redisUrl: options.redisUrl,
    label: 'bench',
  });
  cleanups.push({ name: 'database and Redis keys', run: () => environment.dispose() });
  console.log(environment.databaseUrl.replace(/^.*\//, ''));

  const graph = await startFakeGraphServer();
  cleanups.push({ name: 'fake Graph API', run: () => graph.close() });

  const omniPort = await findFreePort();
  const omni = startOmni({
    entry: join(options.backendDist, 'main.js'),
    roles: options.roles,
    port: omniPort,
    databaseUrl: environment.databaseUrl,
    redisUrl: environment.redisUrl,
    redisPrefix: environment.redisPrefix,
    graphUrl: graph.url,
    // Another build (--backend-dist) serves this repository's panel, as backend/dist does.
    panelDir: join(root, 'frontend/dist'),
    logLevel: options.logLevel,
    logDir,
    nodeArgs: options.omniNodeArgs,
  });
  // Registered before the wait, so a failed start still kills what did start.
  for (const child of omni) cleanups.push({ name: child.name, run: () => stopChild(child) });
  let baseline: Child | null = null;
  let baselineUrl: string | null = null;
  if (options.baseline) {
    const port = await findFreePort();
    const bare = startBareKoa(port, logDir);
    baseline = bare;
    cleanups.push({ name: 'bare Koa', run: () => stopChild(bare) });
    baselineUrl = `http://127.0.0.1:${port}`;
  }
  const omniUrl = `http://127.0.0.1:${omniPort}`;
  process.stdout.write('Starting the built Omni… ');
  // Without a worker /health answers 503 (worker down), so the API's own document is the sign.
  await waitUntilReady(
    options.roles === 'api-only' ? `${omniUrl}/api/openapi.json` : `${omniUrl}/health`,
    omni,
  );
  if (baseline && baselineUrl) await waitUntilReady(baselineUrl, [baseline]);
  console.log('healthy.');

  // A tenant and its page, through the API, as an admin would.
  const signUp = await postJson(`${omniUrl}/api/auth/signup`, {
    tenantName: 'Bench Ltd',
    name: 'Bench Admin',
    email: `bench-${randomBytes(4).toString('hex')}@example.com`,
    password: randomBytes(12).toString('base64url'),
  });
  const token = String((signUp as { token: string }).token);
  const page = {
    pageId: String(100_000_000_000_000 + Math.floor(Math.random() * 1e9)),
    appSecret: randomBytes(16).toString('hex'),
  };
  const accessToken = `EAAB${randomBytes(30).toString('base64url')}`;
  graph.registerPage({ ...page, name: 'Bench Page', accessToken });
  // Every visitor exists on "Facebook", so the worker's profile look-ups succeed.
  for (let n = 0; n < options.visitors; n += 1) {
    graph.registerUser({
      pageId: page.pageId,
      psid: psidOf(n),
      firstName: 'Visitor',
      lastName: `${n}`,
    });
  }
  const created = (await postJson(
    `${omniUrl}/api/channels/facebook`,
    { name: 'Bench Page', accessToken, appSecret: page.appSecret },
    token,
  )) as { callbackUrl: string; pageId: string };
  if (created.pageId !== page.pageId) throw new Error('Omni resolved another page id');
  const webhookPath = new URL(created.callbackUrl).pathname;

  const db = await BenchDatabase.connect(environment.databaseUrl);
  cleanups.push({ name: 'database connection', run: () => db.close() });
  return {
    omniUrl,
    baselineUrl,
    webhookPath,
    page,
    db,
    databaseUrl: environment.databaseUrl,
    pageRowId: await db.pageRowId(),
    fixtures,
    omni,
    baseline,
  };
}

async function measureAll(
  options: BenchOptions,
  setup: Setup,
  cleanups: Array<{ name: string; run: () => Promise<unknown> }>,
): Promise<BenchResults> {
  const { db, fixtures, page } = setup;
  const factory = () =>
    new DeliveryFactory(fixtures, page, options.eventsPerDelivery, options.visitors);
  const omniFactory = factory();
  const baselineFactory = factory();
  const omniTarget = `${setup.omniUrl}${setup.webhookPath}`;
  const baselineTarget = setup.baselineUrl ? `${setup.baselineUrl}${setup.webhookPath}` : null;
  const meter = new CpuMeter(() => {
    // `all` forks its worker: the parent is the api, the child the worker.
    const parts: [string, number[]][] = setup.omni.flatMap((child): [string, number[]][] => {
      const pid = child.process.pid ?? -1;
      if (options.roles !== 'all') return [[child.name.replace('omni-', 'omni:'), [pid]]];
      return [
        ['omni:api', [pid]],
        ['omni:worker', childPidsOf(pid)],
      ];
    });
    return {
      omni: parts.flatMap(([, pids]) => pids),
      ...Object.fromEntries(parts),
      'bare-koa': setup.baseline?.process.pid ? [setup.baseline.process.pid] : [],
      bench: [process.pid],
    };
  });

  type Drive = (
    url: string,
    factory: DeliveryFactory,
    onSent?: (mids: string[], sentAt: number) => void,
  ) => Promise<LoadResult>;
  const common = { connections: options.connections, eventsPerDelivery: options.eventsPerDelivery };
  const phases: Array<{ label: string; phase: 'rate' | 'saturation'; drive: Drive }> = [
    {
      label: 'Fixed rate',
      phase: 'rate',
      drive: (url, factory, onSent) =>
        runFixedRate({
          ...common,
          url,
          factory,
          onSent,
          phase: 'rate',
          eventsPerS: options.rate,
          durationS: options.rateDuration,
        }),
    },
    {
      label: 'Saturation',
      phase: 'saturation',
      drive: (url, factory, onSent) =>
        runSaturation({
          ...common,
          url,
          factory,
          onSent,
          phase: 'saturation',
          durationS: options.duration,
        }),
    },
  ];
  const warmUp = (url: string, factory: DeliveryFactory) =>
    runSaturation({
      ...common,
      connections: Math.min(10, options.connections),
      durationS: 3,
      url,
      factory,
      phase: 'warmup',
    });

  // The baseline first, while Omni is idle (its worker would otherwise still be busy with
  // Omni's backlog). A warm-up before each server: JIT, connection pools; never counted.
  const baselines = new Map<string, ServerRun>();
  if (baselineTarget) {
    await warmUp(baselineTarget, baselineFactory);
    for (const { label, drive } of phases) {
      process.stdout.write(`${label}: bare Koa… `);
      meter.begin();
      const load = await drive(baselineTarget, baselineFactory);
      const cpu = meter.end(await db.foreignBackendPids());
      const run: ServerRun = { load, storage: null, cpu };
      run.costs = cpuCosts(run, 'bare-koa');
      baselines.set(label, run);
      console.log(`${load.acceptedEventsPerS} events/s, p99 ${load.ackLatencyMs.p99} ms.`);
    }
  }

  process.stdout.write('Omni: warming up… ');
  const warm = await warmUp(omniTarget, omniFactory);
  assertAccepted(warm, 'the warm-up', setup);
  const hasWorker = options.roles !== 'api-only';
  const warmDrained =
    !hasWorker || (await db.waitForDrain(Math.min(options.drainTimeout, 10) * 1000));
  console.log(
    warmDrained
      ? 'done.'
      : `its backlog did NOT drain within ${Math.min(options.drainTimeout, 10)} s (${await db.pendingEvents()} pending).`,
  );

  await db.analyze();

  const results: Record<string, PhaseResults> = {};
  for (const { label, phase, drive } of phases) {
    process.stdout.write(`${label}: Omni… `);
    const sampler = await VisibilitySampler.start(setup.databaseUrl, setup.pageRowId);
    cleanups.push({ name: 'visibility sampler', run: () => sampler.finish(0) });
    let sent = 0;
    meter.begin();
    const load = await drive(omniTarget, omniFactory, (mids, sentAt) => {
      if (sent++ % VISIBILITY_SAMPLE_EVERY === 0) sampler.track(mids[0]!, sentAt);
    });
    const cpu = meter.end(await db.foreignBackendPids());
    assertAccepted(load, label, setup);
    process.stdout.write(
      `${load.acceptedEventsPerS} events/s, p99 ${load.ackLatencyMs.p99} ms; draining… `,
    );
    const pendingBefore = await db.pendingEvents();
    const waitStart = Date.now();
    const drained = hasWorker && (await db.waitForDrain(options.drainTimeout * 1000));
    const wait = {
      pendingBefore,
      pendingAfter: await db.pendingEvents(),
      seconds: (Date.now() - waitStart) / 1000,
    };
    await sampler.finish(drained ? 5_000 : 0);
    const storage = await db.measure(phase, load, sampler, cpu, hasWorker ? wait : null);
    console.log(
      !hasWorker
        ? 'no worker (api-only).'
        : drained
          ? `drained ${storage.drainS} s after the load.`
          : `NOT drained within ${options.drainTimeout} s (${wait.pendingAfter} pending; ` +
            `${storage.estimatedDrainS === null ? 'no progress' : `~${storage.estimatedDrainS} s at the rate seen`}).`,
    );
    const omni: ServerRun = { load, storage, cpu };
    omni.costs = cpuCosts(omni, 'omni');
    results[phase] = { baseline: baselines.get(label) ?? null, omni };
  }
  const fixedRate = results['rate']!;
  const saturation = results['saturation']!;

  // Omni's own verdict on the run: a graceful stop, and what it logged at warn or above.
  const exitCodes = await Promise.all(setup.omni.map((child) => stopChild(child)));
  const logs = setup.omni.map(logSummary);
  const { databaseServerUrl: _d, redisUrl: _r, resultsDir: _o, ...shownOptions } = options;
  return {
    benchmark: 'omni-ingest',
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: options.backendDist === defaultBackendDist ? gitCommit() : null,
    machine: await describeMachine(options, db),
    options: {
      ...shownOptions,
      backendDist: options.backendDist.startsWith(root)
        ? relative(root, options.backendDist)
        : options.backendDist,
    },
    fixedRate,
    saturation,
    omniExit: {
      code: exitCodes.find((code) => code !== 0) ?? 0,
      warnings: logs.reduce((sum, log) => sum + log.warnings, 0),
      errors: logs.reduce((sum, log) => sum + log.errors, 0),
      byKind: logs.reduce<Record<string, number>>((all, log) => {
        for (const [kind, n] of Object.entries(log.byKind)) all[kind] = (all[kind] ?? 0) + n;
        return all;
      }, {}),
      lastNotable: logs.flatMap((log) => log.last),
    },
    target: evaluateTarget(fixedRate, saturation, options.rate),
  };
}

/** A phase where Omni refused everything is a broken set-up, not a measurement. */
function assertAccepted(load: LoadResult, what: string, setup: Setup): void {
  if ((load.statuses['200'] ?? 0) > 0) return;
  const logs = setup.omni.map((child) => `--- ${child.name}\n${tail(child.logFile)}`).join('\n');
  throw new Error(
    `Omni accepted nothing during ${what}: ${JSON.stringify(load.statuses)}, ${load.errors} errors.\n${logs}`,
  );
}

async function postJson(url: string, body: unknown, token?: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${new URL(url).pathname}: ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

async function describeMachine(
  options: BenchOptions,
  db: BenchDatabase,
): Promise<BenchResults['machine']> {
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const info = await redis.info('server');
    return {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      postgres: await db.serverVersion(),
      redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
      busyBeforeStart: null,
    };
  } finally {
    redis.disconnect();
  }
}

function gitCommit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' });
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'backend'], {
      cwd: root,
      encoding: 'utf8',
    });
    return `${head.trim()}${dirty.trim() ? '+backend-changes' : ''}`;
  } catch {
    return null;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
