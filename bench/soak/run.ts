/**
 * Omni's soak benchmark: a steady webhook load for half an hour with operators replying, to
 * show that nothing accumulates — the processes' memory, Redis's keys, the tables beyond the
 * data itself, the backlogs — and that nothing is lost.
 *
 *   npm run build -w backend        # once: the benchmark runs backend/dist, as production does
 *   npm run bench:soak              # = npx tsx bench/soak/run.ts; --help for the options
 *
 * What it does, all on 127.0.0.1, and undone at the end even when it fails:
 *  1. a private PostgreSQL database and Redis key prefix (createTestEnvironment, migrated);
 *  2. the fake Graph API in this process (its Send API accepts every reply) and the built
 *     Omni (`node backend/dist/main.js all`, NODE_ENV=production, fresh secrets);
 *  3. through the API: `--tenants` tenants, each with a department, `--pages` pages routed to
 *     it and `--operators` operators signed in, online, each with a socket.io connection;
 *  4. signed deliveries (one event each) at `--rate` events/s spread evenly over the pages,
 *     each page's `--visitors` visitors writing in turn (open loop, bench/ingest's
 *     runFixedRate), for a `--warm-up` and then `--minutes`; meanwhile the operators reply to
 *     their chats through the REST API at `--replies` per second and close every
 *     `--close-every`-th chat they answer;
 *  5. every `--sample-every` s: each Omni process's RSS (/proc), the keys under the Redis
 *     prefix and Redis's used_memory, the rows and size of the main tables, the backlogs;
 *  6. after the load, waits up to `--settle` s for the backlogs to drain, then counts what
 *     was stored: every event acknowledged with 200 must be a message.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import type * as Testing from '@omni/backend/testing';
import type * as Fixtures from '../../backend/dist/testing/messenger-fixtures.js';
import { childPidsOf, CpuMeter } from '../ingest/cpu.js';
import { DeliveryFactory, psidOf } from '../ingest/deliveries.js';
import { runFixedRate, type LoadResult } from '../ingest/load.js';
import { logSummary, sleep, type Child } from '../shared/processes.js';
import { importMessengerFixtures } from '../shared/backend-build.js';
import { startBenchOmni } from '../shared/bench-omni.js';
import { api, connect, positiveInteger } from '../shared/omni-client.js';
import { round } from '../shared/stats.js';
import { SimulatedOperators, type OnlineOperator } from './operators.js';
import {
  backlogFigures,
  countRedisKeys,
  redisUsedMemoryMb,
  residentMb,
  tableFigures,
  WATCHED_TABLES,
  type Sample,
} from './samples.js';

const HELP = `Usage: npx tsx bench/soak/run.ts [options]   (or: npm run bench:soak -- [options])

  --minutes <n>        minutes of load after the warm-up             BENCH_MINUTES    30
  --rate <n>           events/s offered, spread over the pages       BENCH_RATE       200
  --tenants <n>        tenants, each with a department                                2
  --pages <n>          pages per tenant, all routed to its department                 2
  --visitors <n>       visitors per page, writing in turn                             100
  --operators <n>      online operators per tenant (100 chats each)                   3
  --replies <n>        operator replies per second, in all                            20
  --close-every <n>    every n-th reply also closes the chat                          4
  --warm-up <s>        seconds of load before the first figures                       60
  --sample-every <s>   seconds between two samples                                    10
  --settle <s>         wait after the load for the backlogs to drain                  120
  --roles all|split    one Omni process (which forks the worker), or the two apart     all
  --cpu-profile <dir>  write V8 CPU profiles of Omni's processes there (--cpu-prof)
  --help

PostgreSQL and Redis: TEST_DATABASE_SERVER_URL (postgres://postgres@127.0.0.1:5432) and
TEST_REDIS_URL (redis://127.0.0.1:6379), as in the test suites.`;

const root = fileURLToPath(new URL('../..', import.meta.url));
const backendDist = join(root, 'backend/dist');
/** An operator's capacity: the most the API allows, so every visitor's chat finds one. */
const OPERATOR_MAX_CHATS = 100;
/** Keep-alive connections per page for the deliveries. */
const CONNECTIONS_PER_PAGE = 4;

type Options = {
  minutes: number;
  rate: number;
  tenants: number;
  pages: number;
  visitors: number;
  operators: number;
  replies: number;
  closeEvery: number;
  warmUp: number;
  sampleEvery: number;
  settle: number;
  roles: 'all' | 'split';
  cpuProfileDir: string | null;
};

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: process.env['BENCH_MINUTES'] ?? '30' },
      rate: { type: 'string', default: process.env['BENCH_RATE'] ?? '200' },
      tenants: { type: 'string', default: '2' },
      pages: { type: 'string', default: '2' },
      visitors: { type: 'string', default: '100' },
      operators: { type: 'string', default: '3' },
      replies: { type: 'string', default: '20' },
      'close-every': { type: 'string', default: '4' },
      'warm-up': { type: 'string', default: '60' },
      'sample-every': { type: 'string', default: '10' },
      settle: { type: 'string', default: '120' },
      roles: { type: 'string', default: 'all' },
      'cpu-profile': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  if (values.roles !== 'all' && values.roles !== 'split')
    throw new Error('--roles must be all or split');
  const options = {
    minutes: positiveInteger('minutes', values.minutes),
    rate: positiveInteger('rate', values.rate),
    tenants: positiveInteger('tenants', values.tenants),
    pages: positiveInteger('pages', values.pages),
    visitors: positiveInteger('visitors', values.visitors),
    operators: positiveInteger('operators', values.operators),
    replies: positiveInteger('replies', values.replies),
    closeEvery: positiveInteger('close-every', values['close-every']),
    warmUp: positiveInteger('warm-up', values['warm-up']),
    sampleEvery: positiveInteger('sample-every', values['sample-every']),
    settle: positiveInteger('settle', values.settle),
    roles: values.roles,
    cpuProfileDir: values['cpu-profile'] ? resolve(values['cpu-profile']) : null,
  } satisfies Options;
  if (options.pages * options.visitors > options.operators * OPERATOR_MAX_CHATS)
    throw new Error(
      `${options.pages * options.visitors} chats per tenant need more than ${options.operators} operators of ${OPERATOR_MAX_CHATS} chats`,
    );
  return options;
}

type SoakPage = { factory: DeliveryFactory; webhookUrl: string };

/** A tenant signed up through the API: its pages (on the fake Graph) and online operators. */
async function createTenant(
  baseUrl: string,
  graph: Testing.FakeGraphServer,
  testing: typeof Testing,
  fixtures: typeof Fixtures,
  options: Options,
  index: number,
): Promise<{ pages: SoakPage[]; operators: OnlineOperator[] }> {
  const admin = await api<{ token: string }>(baseUrl, 'POST', '/api/auth/signup', {
    tenantName: `Soak ${index + 1}`,
    name: 'Admin',
    email: `admin-${randomBytes(4).toString('hex')}@bench.test`,
    password: 'bench password',
  });
  const department = await api<{ id: string }>(
    baseUrl,
    'POST',
    '/api/departments',
    { name: 'Support' },
    admin.token,
  );
  const pages: SoakPage[] = [];
  for (let pageIndex = 0; pageIndex < options.pages; pageIndex++) {
    const fakePage = testing.registerRandomPage(graph);
    // Every visitor exists on "Facebook", so the worker's profile look-ups succeed.
    for (let n = 0; n < options.visitors; n++)
      graph.registerUser({
        pageId: fakePage.pageId,
        psid: psidOf(n),
        firstName: 'V',
        lastName: `${n}`,
      });
    const created = await api<{ callbackUrl: string }>(
      baseUrl,
      'POST',
      '/api/channels/facebook',
      {
        name: `Soak page ${index + 1}.${pageIndex + 1}`,
        accessToken: fakePage.accessToken,
        appSecret: fakePage.appSecret,
        departmentId: department.id,
      },
      admin.token,
    );
    pages.push({
      factory: new DeliveryFactory(fixtures, fakePage, 1, options.visitors),
      webhookUrl: `${baseUrl}${new URL(created.callbackUrl).pathname}`,
    });
  }
  const operators: OnlineOperator[] = [];
  for (let operatorIndex = 0; operatorIndex < options.operators; operatorIndex++) {
    const email = `operator-${randomBytes(4).toString('hex')}@bench.test`;
    await api(
      baseUrl,
      'POST',
      '/api/operators',
      {
        email,
        password: 'bench password',
        name: `Operator ${index + 1}.${operatorIndex + 1}`,
        role: 'operator',
        departmentIds: [department.id],
        maxChats: OPERATOR_MAX_CHATS,
      },
      admin.token,
    );
    const session = await api<{ token: string; user: { id: string } }>(
      baseUrl,
      'POST',
      '/api/auth/login',
      { email, password: 'bench password' },
    );
    const socket = await connect(baseUrl, session.token);
    operators.push({ userId: session.user.id, token: session.token, socket });
    await api(baseUrl, 'PUT', '/api/me/status', { status: 'online' }, session.token);
  }
  return { pages, operators };
}

/** Each Omni process's pid, by role (`all` forks its worker: found among the api's children). */
function omniPids(children: Child[], roles: Options['roles']): Record<string, number | null> {
  if (roles === 'split')
    return { api: children[0]?.process.pid ?? null, worker: children[1]?.process.pid ?? null };
  const apiPid = children[0]?.process.pid ?? null;
  return { api: apiPid, worker: apiPid === null ? null : (childPidsOf(apiPid)[0] ?? null) };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const entry = join(backendDist, 'main.js');
  if (!existsSync(entry))
    throw new Error(`${entry} is missing: run "npm run build -w backend" first.`);
  const fromDist = (path: string) =>
    import(pathToFileURL(join(backendDist, path)).href) as Promise<unknown>;
  const testing = (await fromDist('testing/test-environment.js')) as typeof Testing;
  const fixtures = await importMessengerFixtures(backendDist);
  const databaseServerUrl =
    process.env['TEST_DATABASE_SERVER_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
  const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = async () => {
    // Taken out of the list: Ctrl-C and the end of the run may both call this.
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((error: unknown) => console.error(error));
  };
  // Ctrl-C, and `timeout` or a CI runner stopping the run, still stop Omni and drop its data.
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    process.once(signal, () => void cleanUp().then(() => process.exit(code)));
  try {
    // Someone else's build or test suite on this machine skews every figure: say so.
    const quiet = new CpuMeter(() => ({}));
    quiet.begin();
    await sleep(2_000);
    const busyBeforeStart = quiet.end()?.machineBusy ?? null;
    const loadBeforeStart = loadavg().map((value) => round(value));
    console.log(
      `Machine before the start: ${busyBeforeStart ?? '?'} % of one core busy, load average ${loadBeforeStart.join(' ')}.`,
    );

    const { environment, graph, baseUrl, children } = await startBenchOmni({
      testing,
      label: 'soak',
      databaseServerUrl,
      redisUrl,
      entry: entry,
      roles: options.roles,
      cleanups,
      nodeArgs: options.cpuProfileDir
        ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
        : [],
    });

    console.log(
      `Creating ${options.tenants} tenants, each with ${options.pages} pages and ${options.operators} online operators…`,
    );
    const pages: SoakPage[] = [];
    const operators: OnlineOperator[] = [];
    cleanups.push(async () => operators.forEach((operator) => operator.socket.disconnect()));
    for (let index = 0; index < options.tenants; index++) {
      const tenant = await createTenant(baseUrl, graph, testing, fixtures, options, index);
      pages.push(...tenant.pages);
      operators.push(...tenant.operators);
    }

    const db = new pg.Pool({ connectionString: environment.databaseUrl, max: 2 });
    cleanups.push(() => db.end());
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    cleanups.push(async () => redis.disconnect());

    let offered = 0;
    let phase = 'warmup';
    const loadStartedAt = Date.now();
    const samples: Sample[] = [];
    const takeSample = async (): Promise<Sample> => {
      const atS = round((Date.now() - loadStartedAt) / 1000, 1);
      const pids = omniPids(children, options.roles);
      const rssMb: Sample['rssMb'] = {};
      for (const [name, pid] of Object.entries(pids))
        rssMb[name] = pid === null ? null : residentMb(pid);
      rssMb['bench'] = residentMb(process.pid);
      const [keys, usedMemoryMb, tables, backlog] = await Promise.all([
        countRedisKeys(redis, environment.redisPrefix),
        redisUsedMemoryMb(redis),
        tableFigures(db),
        backlogFigures(db),
      ]);
      const sample = {
        atS,
        phase,
        offered,
        rssMb,
        redis: { ...keys, usedMemoryMb },
        tables,
        backlog,
      };
      samples.push(sample);
      return sample;
    };
    const sampling = startSampling(takeSample, options.sampleEvery * 1000);
    cleanups.push(async () => sampling.stop());

    const workers = new SimulatedOperators(baseUrl, operators, options.replies, options.closeEvery);
    const replying = workers.run();
    const offer = (durationS: number, phaseName: string) =>
      Promise.all(
        pages.map((page) =>
          runFixedRate({
            url: page.webhookUrl,
            connections: CONNECTIONS_PER_PAGE,
            eventsPerS: options.rate / pages.length,
            durationS,
            factory: page.factory,
            phase: phaseName,
            eventsPerDelivery: 1,
            onSent: () => (offered += 1),
          }),
        ),
      );

    console.log(
      `Warm-up: ${options.rate} events/s over ${pages.length} pages for ${options.warmUp} s, operators replying ${options.replies}/s…`,
    );
    const warmUp = await offer(options.warmUp, 'warmup');
    phase = 'soak';
    const baseline = await takeSample();
    console.log(`Soak: ${options.minutes} min from ${new Date().toISOString()}…`);
    // Per role, so a saturated api and a starved worker can be told apart.
    const meter = new CpuMeter(() => {
      const groups: Record<string, number[]> = { bench: [process.pid] };
      for (const [role, pid] of Object.entries(omniPids(children, options.roles)))
        if (pid !== null) groups[role] = [pid];
      return groups;
    });
    meter.begin();
    const progress = setInterval(() => {
      const last = samples.at(-1);
      if (last)
        console.log(
          `  ${Math.round(last.atS)} s: ${last.offered} offered, RSS ${JSON.stringify(last.rssMb)} MB, Redis keys ${last.redis.keys}, backlog ${JSON.stringify(last.backlog)}`,
        );
    }, 60_000);
    cleanups.push(async () => clearInterval(progress));
    const soak = await offer(options.minutes * 60, 'soak');
    const cpu = meter.end();
    clearInterval(progress);
    const endOfLoad = await takeSample();

    console.log(`Load over; operators stop, waiting up to ${options.settle} s for the backlogs…`);
    workers.stop();
    await replying;
    phase = 'settle';
    const settleUntil = Date.now() + options.settle * 1000;
    let settled = await takeSample();
    while (Date.now() < settleUntil && isBacklogged(settled)) {
      await sleep(2_000);
      settled = await takeSample();
    }
    sampling.stop();

    const stored = await storedEvents(db);
    const results = summarise({
      options,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        busyBeforeStart,
        loadBeforeStart,
        busyDuringSoak: cpu?.machineBusy ?? null,
        /** % of one core during the soak, by group; `other` is everyone else on the machine. */
        cpuDuringSoak: cpu?.byGroup ?? null,
      },
      loads: { warmup: warmUp, soak },
      stored,
      samples: { baseline, endOfLoad, settled, all: samples },
      operatorCalls: workers.calls,
      sentByGraph: graph.sentMessages().length,
      omniLogs: children.map((child) => ({ name: child.name, ...logSummary(child) })),
    });
    report(results);
    const directory = join(root, 'bench/soak/results');
    mkdirSync(directory, { recursive: true });
    const file = join(directory, `${results.date.replace(/:/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`Wrote ${relative(root, file)}`);
  } finally {
    await cleanUp();
  }
}

/** Samples every `intervalMs` (a slow sample delays the next, never overlaps it). */
function startSampling(take: () => Promise<unknown>, intervalMs: number): { stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void take()
        .catch((error: unknown) => console.error('sample failed:', error))
        .finally(next);
    }, intervalMs);
  };
  next();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function isBacklogged(sample: Sample): boolean {
  const { pendingDeliveries, pendingSends, outbox } = sample.backlog;
  return pendingDeliveries + pendingSends + outbox > 0;
}

/** Inbound messages stored per phase (the mids carry it), and operator replies by status. */
async function storedEvents(db: pg.Pool): Promise<{
  inbound: Record<string, number>;
  pending: Record<string, number>;
  failed: Record<string, number>;
  replies: Record<string, number>;
  duplicateMids: number;
}> {
  // One snapshot for every count: the worker may still be draining, and a delivery it stores
  // between two separate counts would be neither stored nor pending (counted as lost).
  const client = await db.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    return await countStoredEvents(client);
  } finally {
    await client.query('rollback').catch(() => {});
    client.release();
  }
}

async function countStoredEvents(db: pg.ClientBase): Promise<{
  inbound: Record<string, number>;
  pending: Record<string, number>;
  failed: Record<string, number>;
  replies: Record<string, number>;
  duplicateMids: number;
}> {
  const { rows: inbound } = await db.query<{ phase: string; n: number }>(
    `select split_part(mid, '_', 3) as phase, count(*)::int as n
       from message where direction = 'in' group by 1`,
  );
  const { rows: replies } = await db.query<{ status: string; n: number }>(
    `select coalesce(status, 'none') as status, count(*)::int as n
       from message where direction = 'out' group by 1`,
  );
  // Deliveries not stored yet (a backlog the settle did not drain) or given up on, by phase.
  const { rows: unstored } = await db.query<{ phase: string; status: string; n: number }>(
    `select split_part(convert_from(raw_body, 'UTF8')::jsonb #>> '{entry,0,messaging,0,message,mid}', '_', 3) as phase,
            status, count(*)::int as n
       from webhook_event where status in ('pending', 'failed') group by 1, 2`,
  );
  const { rows: duplicates } = await db.query<{ n: number }>(
    `select count(*)::int as n from (select 1 from message where direction = 'in'
       group by page_id, mid having count(*) > 1) d`,
  );
  const unstoredOf = (status: string) =>
    Object.fromEntries(
      unstored.filter((row) => row.status === status).map((row) => [row.phase, row.n]),
    );
  return {
    inbound: Object.fromEntries(inbound.map((row) => [row.phase, row.n])),
    pending: unstoredOf('pending'),
    failed: unstoredOf('failed'),
    replies: Object.fromEntries(replies.map((row) => [row.status, row.n])),
    duplicateMids: duplicates[0]!.n,
  };
}

type Phase = {
  offered: number;
  acknowledged: number;
  refused: Record<string, number>;
  stored: number;
  /** Acknowledged, still pending when the settle ended: late, not lost. */
  notYetStored: number;
  /** Acknowledged and neither stored nor pending (failed deliveries included). */
  lost: number;
};

function summarise(input: {
  options: Options;
  machine: Record<string, unknown>;
  loads: { warmup: LoadResult[]; soak: LoadResult[] };
  stored: Awaited<ReturnType<typeof storedEvents>>;
  samples: { baseline: Sample; endOfLoad: Sample; settled: Sample; all: Sample[] };
  operatorCalls: SimulatedOperators['calls'];
  sentByGraph: number;
  omniLogs: unknown[];
}) {
  const { baseline, endOfLoad, settled, all } = input.samples;
  const phaseOf = (name: 'warmup' | 'soak'): Phase => {
    const loads = input.loads[name];
    const offered = loads.reduce((sum, load) => sum + load.deliveriesSent, 0);
    const acknowledged = loads.reduce((sum, load) => sum + (load.statuses['200'] ?? 0), 0);
    const refused: Record<string, number> = {};
    for (const load of loads) {
      for (const [status, n] of Object.entries(load.statuses))
        if (status !== '200') refused[status] = (refused[status] ?? 0) + n;
      if (load.errors > 0) refused['no answer'] = (refused['no answer'] ?? 0) + load.errors;
    }
    const stored = input.stored.inbound[name] ?? 0;
    const notYetStored = input.stored.pending[name] ?? 0;
    const lost = acknowledged - stored - notYetStored;
    return { offered, acknowledged, refused, stored, notYetStored, lost };
  };
  const soak = phaseOf('soak');
  const during = all.filter((sample) => sample.phase === 'soak');
  const processes = Object.keys(baseline.rssMb);
  const rss = Object.fromEntries(
    processes.map((name) => {
      const values = during.map((sample) => sample.rssMb[name] ?? 0);
      return [
        name,
        {
          startMb: baseline.rssMb[name] ?? null,
          endMb: endOfLoad.rssMb[name] ?? null,
          maxMb: Math.max(...values),
          afterSettleMb: settled.rssMb[name] ?? null,
        },
      ];
    }),
  );
  const perThousand = (value: number) => round((value / Math.max(1, soak.offered)) * 1000, 1);
  const tableGrowth = Object.fromEntries(
    WATCHED_TABLES.map((table) => {
      const before = baseline.tables[table];
      const after = settled.tables[table];
      return [
        table,
        {
          rowsAtStart: before.rows,
          rowsAtEnd: after.rows,
          rowsPer1000Events: perThousand(after.rows - before.rows),
          kbPer1000Events: perThousand((after.bytes - before.bytes) / 1024),
          mbAtEnd: round(after.bytes / 2 ** 20, 1),
        },
      ];
    }),
  );
  return {
    benchmark: 'omni-soak',
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    options: input.options,
    machine: input.machine,
    soakMinutes: round(
      input.loads.soak.reduce((longest, load) => Math.max(longest, load.durationS), 0) / 60,
      2,
    ),
    events: {
      warmup: phaseOf('warmup'),
      soak,
      duplicateMids: input.stored.duplicateMids,
      ackMs: input.loads.soak.map((load) => load.ackLatencyMs),
    },
    replies: {
      calls: input.operatorCalls,
      messagesByStatus: input.stored.replies,
      recordedBySendApi: input.sentByGraph,
    },
    rss,
    redis: {
      keysAtStart: baseline.redis.keys,
      keysMax: Math.max(...during.map((sample) => sample.redis.keys)),
      keysAtEndOfLoad: endOfLoad.redis.keys,
      keysAfterSettle: settled.redis.keys,
      usedMemoryMbAtStart: baseline.redis.usedMemoryMb,
      usedMemoryMbMax: Math.max(...during.map((sample) => sample.redis.usedMemoryMb)),
      usedMemoryMbAtEnd: endOfLoad.redis.usedMemoryMb,
      familiesAtStart: baseline.redis.families,
      familiesAtEndOfLoad: endOfLoad.redis.families,
    },
    tableGrowth,
    backlog: {
      max: Object.fromEntries(
        Object.keys(baseline.backlog).map((name) => [
          name,
          Math.max(...during.map((sample) => sample.backlog[name as keyof Sample['backlog']])),
        ]),
      ),
      atEndOfLoad: endOfLoad.backlog,
      afterSettle: settled.backlog,
      settledAfterS: round(settled.atS - endOfLoad.atS, 1),
    },
    omniLogs: input.omniLogs,
    samples: all,
  };
}

function report(results: ReturnType<typeof summarise>): void {
  const { machine, events, rss, redis, tableGrowth, backlog, replies } = results;
  console.log(`\nOmni soak benchmark, ${results.date}, ${results.soakMinutes} min of load`);
  console.log(
    `${String(machine['cpus'])} × ${String(machine['cpuModel'])}; machine busy before ${String(machine['busyBeforeStart'])} %, during ${String(machine['busyDuringSoak'])} % of one core (${JSON.stringify(machine['cpuDuringSoak'])})`,
  );
  const { soak } = events;
  console.log(
    `Events (soak): offered ${soak.offered}, acknowledged ${soak.acknowledged}, refused ${JSON.stringify(soak.refused)}, stored ${soak.stored}, not yet stored ${soak.notYetStored}, lost ${soak.lost}; duplicated mids ${events.duplicateMids}`,
  );
  console.log(
    `Replies: calls ${JSON.stringify(replies.calls)}, messages ${JSON.stringify(replies.messagesByStatus)}`,
  );
  console.log('RSS, MB (start of soak → end of load, max, after settling):');
  for (const [name, figures] of Object.entries(rss))
    console.log(
      `  ${name.padEnd(7)} ${figures.startMb} → ${figures.endMb}   max ${figures.maxMb}   settled ${figures.afterSettleMb}`,
    );
  console.log(
    `Redis keys: start ${redis.keysAtStart}, max ${redis.keysMax}, end of load ${redis.keysAtEndOfLoad}, settled ${redis.keysAfterSettle}; used_memory ${redis.usedMemoryMbAtStart} → ${redis.usedMemoryMbAtEnd} MB (max ${redis.usedMemoryMbMax})`,
  );
  const grown = Object.entries(redis.familiesAtEndOfLoad)
    .map(([family, count]) => ({ family, count, start: redis.familiesAtStart[family] ?? 0 }))
    .sort((a, b) => b.count - b.start - (a.count - a.start))
    .slice(0, 8);
  console.log(
    `Redis key families that grew most (start → end of load): ${grown.map(({ family, start, count }) => `${family} ${start} → ${count}`).join('; ')}`,
  );
  console.log('Tables (start → end rows; per 1,000 events: rows, kB; MB at end):');
  for (const [table, growth] of Object.entries(tableGrowth))
    console.log(
      `  ${table.padEnd(18)} ${growth.rowsAtStart} → ${growth.rowsAtEnd}   ${growth.rowsPer1000Events} rows, ${growth.kbPer1000Events} kB   ${growth.mbAtEnd} MB`,
    );
  console.log(
    `Backlog max ${JSON.stringify(backlog.max)}; end of load ${JSON.stringify(backlog.atEndOfLoad)}; after ${backlog.settledAfterS} s ${JSON.stringify(backlog.afterSettle)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
