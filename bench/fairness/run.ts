/**
 * Omni's fairness benchmark: one tenant floods its webhook as fast as Omni answers while
 * another sends one message a second; how long the quiet tenant's messages take to be stored
 * and routed behind the flood's backlog.
 *
 *   npm run build -w backend        # once: the benchmark runs backend/dist, as production does
 *   npm run bench:fairness          # = npx tsx bench/fairness/run.ts; --help for the options
 *
 * What it does, all on 127.0.0.1, and undone at the end even when it fails:
 *  1. a private PostgreSQL database and Redis key prefix (createTestEnvironment, migrated);
 *  2. the fake Graph API in this process and the built Omni (`node backend/dist/main.js all`,
 *     NODE_ENV=production, fresh secrets);
 *  3. through the API: tenant A with a page; tenant B with a department, a page routed to it
 *     and one operator signed in, online, with a socket.io connection as the panel has;
 *  4. an untimed warm-up (A at saturation for 3 s, a few B messages, the backlog drained,
 *     ANALYZE as autovacuum would);
 *  5. for `--duration` s: A at saturation (`--connections` keep-alive connections, each
 *     sending its next signed delivery as soon as the last is answered, autocannon) and B one
 *     signed message a second, each from a new visitor (so each starts a conversation);
 *  6. for each B message, from the moment it was signed and sent (one clock: this process):
 *     stored = its message row is committed (polled every 20 ms from its own connection);
 *     routed = its conversation arrives "assigned" on the operator's socket. Waits up to
 *     `--settle` s after the load for the last ones; a message still missing then counts as
 *     slower than every other (its percentile is shown as "> wait").
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import type * as Testing from '@omni/backend/testing';
import { childPidsOf, CpuMeter } from '../ingest/cpu.js';
import { DeliveryFactory, psidOf } from '../ingest/deliveries.js';
import { runSaturation, type LoadResult } from '../ingest/load.js';
import { VisibilitySampler } from '../ingest/storage.js';
import { logSummary, sleep } from '../shared/processes.js';
import { importMessengerFixtures } from '../shared/backend-build.js';
import { startBenchOmni } from '../shared/bench-omni.js';
import { api, connect, positiveInteger } from '../shared/omni-client.js';
import { distribution, type Distribution } from '../shared/stats.js';

const HELP = `Usage: npx tsx bench/fairness/run.ts [options]   (or: npm run bench:fairness -- [options])

  --duration <s>        seconds of load                              BENCH_DURATION     60
  --connections <n>     tenant A's connections (closed loop)         BENCH_CONNECTIONS  10
  --settle <s>          wait after the load for B's last messages    BENCH_SETTLE       20
  --roles all|split     one Omni process, or api and worker apart                       all
  --backend-dist <dir>  the build to run (e.g. an older commit's)                       backend/dist
  --help

PostgreSQL and Redis: TEST_DATABASE_SERVER_URL (postgres://postgres@127.0.0.1:5432) and
TEST_REDIS_URL (redis://127.0.0.1:6379), as in the test suites.`;

const root = fileURLToPath(new URL('../..', import.meta.url));
const TARGET_P99_MS = 2_000;
/** Tenant A's visitors (its messages go round-robin over them). */
const FLOOD_VISITORS = 1_000;
/** B sends one message this often. */
const QUIET_INTERVAL_MS = 1_000;
const WARM_UP_SECONDS = 3;

type Options = {
  duration: number;
  connections: number;
  settle: number;
  roles: 'all' | 'split';
  backendDist: string;
};

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: process.env['BENCH_DURATION'] ?? '60' },
      connections: { type: 'string', default: process.env['BENCH_CONNECTIONS'] ?? '10' },
      settle: { type: 'string', default: process.env['BENCH_SETTLE'] ?? '20' },
      roles: { type: 'string', default: 'all' },
      'backend-dist': { type: 'string', default: join(root, 'backend/dist') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  if (values.roles !== 'all' && values.roles !== 'split')
    throw new Error('--roles must be all or split');
  return {
    duration: positiveInteger('duration', values.duration),
    connections: positiveInteger('connections', values.connections),
    settle: positiveInteger('settle', values.settle),
    roles: values.roles,
    backendDist: resolve(values['backend-dist']),
  };
}

type Tenant = {
  token: string;
  page: { pageId: string; appSecret: string };
  pageRowId: string;
  webhookUrl: string;
};

/** A tenant, signed up through the API, with a page registered on the fake Graph. */
async function createTenant(
  baseUrl: string,
  graph: Testing.FakeGraphServer,
  testing: typeof Testing,
  db: pg.Pool,
  name: string,
  departmentName: string | null,
): Promise<Tenant & { departmentId: string | null }> {
  const admin = await api<{ token: string; tenant: { id: string } }>(
    baseUrl,
    'POST',
    '/api/auth/signup',
    {
      tenantName: name,
      name: `${name} admin`,
      email: `admin-${randomBytes(4).toString('hex')}@bench.test`,
      password: 'bench password',
    },
  );
  const department = departmentName
    ? await api<{ id: string }>(
        baseUrl,
        'POST',
        '/api/departments',
        { name: departmentName },
        admin.token,
      )
    : null;
  const fakePage = testing.registerRandomPage(graph);
  // Every visitor exists on "Facebook", so the worker's profile look-ups succeed.
  for (let n = 0; n < FLOOD_VISITORS; n++) {
    graph.registerUser({
      pageId: fakePage.pageId,
      psid: psidOf(n),
      firstName: 'Visitor',
      lastName: `${n}`,
    });
  }
  const created = await api<{ callbackUrl: string }>(
    baseUrl,
    'POST',
    '/api/channels/facebook',
    {
      name: `${name} page`,
      accessToken: fakePage.accessToken,
      appSecret: fakePage.appSecret,
      ...(department ? { departmentId: department.id } : {}),
    },
    admin.token,
  );
  const { rows } = await db.query<{ id: string }>(
    'select id from facebook_page where tenant_id = $1',
    [admin.tenant.id],
  );
  return {
    token: admin.token,
    page: { pageId: fakePage.pageId, appSecret: fakePage.appSecret },
    pageRowId: rows[0]!.id,
    webhookUrl: `${baseUrl}${new URL(created.callbackUrl).pathname}`,
    departmentId: department?.id ?? null,
  };
}

/** B's messages: sent one a second, each timed to its stored message and its assignment. */
class QuietTenant {
  private readonly sentAtByPsid = new Map<string, number>();
  private readonly routedMs: number[] = [];
  /** Each timed message: when it was sent, and how long until its conversation was assigned. */
  readonly series: { sentAt: number; psid: string; routedMs: number | null }[] = [];
  readonly acknowledgements: Record<string, number> = {};
  readonly ackMs: number[] = [];

  constructor(
    private readonly url: string,
    private readonly factory: DeliveryFactory,
    readonly sampler: VisibilitySampler,
    socket: Socket,
  ) {
    socket.on(
      'conversation.updated',
      (conversation: { status: string; contact: { psid: string } }) => {
        if (conversation.status !== 'assigned') return;
        const sentAt = this.sentAtByPsid.get(conversation.contact.psid);
        if (sentAt === undefined) return;
        const routedMs = Date.now() - sentAt;
        this.routedMs.push(routedMs);
        this.sentAtByPsid.delete(conversation.contact.psid);
        const sent = this.series.find((message) => message.psid === conversation.contact.psid);
        if (sent) sent.routedMs = routedMs;
      },
    );
  }

  get outstandingRoutes(): number {
    return this.sentAtByPsid.size;
  }

  /** Sends one message a second for `durationS` (the messages of `phase` are timed). */
  async run(durationS: number, phase: string, timed: boolean): Promise<number> {
    const started = performance.now();
    const count = Math.floor((durationS * 1000) / QUIET_INTERVAL_MS);
    const sends: Promise<void>[] = [];
    for (let sequence = 0; sequence < count; sequence++) {
      const delay = started + sequence * QUIET_INTERVAL_MS - performance.now();
      if (delay > 0) await sleep(delay);
      sends.push(this.send(phase, timed));
    }
    await Promise.all(sends);
    return count;
  }

  private async send(phase: string, timed: boolean): Promise<void> {
    // One event per delivery, each from the next visitor: a new conversation each time.
    const delivery = this.factory.next(phase);
    const body = JSON.parse(delivery.body) as {
      entry: { messaging: { sender: { id: string } }[] }[];
    };
    const psid = body.entry[0]!.messaging[0]!.sender.id;
    if (timed) {
      this.sentAtByPsid.set(psid, delivery.sentAt);
      this.series.push({ sentAt: delivery.sentAt, psid, routedMs: null });
      this.sampler.track(delivery.mids[0]!, delivery.sentAt);
    }
    const response = await fetch(this.url, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    }).catch(() => null);
    const status = response ? String(response.status) : 'error';
    if (response) await response.arrayBuffer();
    if (timed) {
      this.acknowledgements[status] = (this.acknowledgements[status] ?? 0) + 1;
      this.ackMs.push(Date.now() - delivery.sentAt);
    }
  }

  routed(missing: number): Distribution {
    return distribution(this.routedMs, missing);
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  const entry = join(options.backendDist, 'main.js');
  if (!existsSync(entry))
    throw new Error(`${entry} is missing: run "npm run build -w backend" first.`);
  const fromDist = (path: string) =>
    import(pathToFileURL(join(options.backendDist, path)).href) as Promise<unknown>;
  const testing = (await fromDist('testing/test-environment.js')) as typeof Testing;
  const fixtures = await importMessengerFixtures(options.backendDist);
  const databaseServerUrl =
    process.env['TEST_DATABASE_SERVER_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
  const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = async () => {
    // Taken out of the list: Ctrl-C and the end of the run may both call this.
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((error: unknown) => console.error(error));
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    // Someone else's build or test suite on this machine skews every figure: say so.
    const quiet = new CpuMeter(() => ({}));
    quiet.begin();
    await sleep(2_000);
    const busyBeforeStart = quiet.end()?.machineBusy ?? null;
    const loadBeforeStart = loadavg().map((value) => Math.round(value * 100) / 100);
    console.log(
      `Machine before the start: ${busyBeforeStart ?? '?'} % of one core busy, load average ${loadBeforeStart.join(' ')}.`,
    );

    const { environment, graph, baseUrl, children } = await startBenchOmni({
      testing,
      label: 'fairness',
      databaseServerUrl,
      redisUrl,
      entry: entry,
      roles: options.roles,
      cleanups,
    });

    const db = new pg.Pool({ connectionString: environment.databaseUrl, max: 2 });
    cleanups.push(() => db.end());
    console.log('Creating tenant A (flooding) and tenant B (quiet) with one online operator…');
    const flooding = await createTenant(baseUrl, graph, testing, db, 'Flooding', null);
    const quietTenant = await createTenant(baseUrl, graph, testing, db, 'Quiet', 'Support');
    const email = `operator-${randomBytes(3).toString('hex')}@bench.test`;
    await api(
      baseUrl,
      'POST',
      '/api/operators',
      {
        email,
        password: 'bench password',
        name: 'Operator',
        role: 'operator',
        departmentIds: [quietTenant.departmentId],
        maxChats: 100,
      },
      quietTenant.token,
    );
    const { token } = await api<{ token: string }>(baseUrl, 'POST', '/api/auth/login', {
      email,
      password: 'bench password',
    });
    const socket = await connect(baseUrl, token);
    cleanups.push(async () => socket.disconnect());
    await api(baseUrl, 'PUT', '/api/me/status', { status: 'online' }, token);

    const floodFactory = new DeliveryFactory(fixtures, flooding.page, 1, FLOOD_VISITORS);
    const floodUrl = flooding.webhookUrl;
    const sampler = await VisibilitySampler.start(environment.databaseUrl, quietTenant.pageRowId);
    cleanups.push(() => sampler.finish(0));
    const quietSender = new QuietTenant(
      quietTenant.webhookUrl,
      new DeliveryFactory(fixtures, quietTenant.page, 1, FLOOD_VISITORS),
      sampler,
      socket,
    );
    const flood = (durationS: number, phase: string, connections: number) =>
      runSaturation({
        url: floodUrl,
        connections,
        durationS,
        factory: floodFactory,
        phase,
        eventsPerDelivery: 1,
      });

    console.log(`Warm-up: ${WARM_UP_SECONDS} s, then the backlog drained and ANALYZE…`);
    await Promise.all([
      flood(WARM_UP_SECONDS, 'warmup', Math.min(options.connections, 5)),
      quietSender.run(WARM_UP_SECONDS, 'warmup', false),
    ]);
    const drainUntil = Date.now() + 30_000;
    while (Date.now() < drainUntil && (await pending(db)) > 0) await sleep(200);
    await db.query('analyze');

    console.log(
      `Load: A at saturation over ${options.connections} connections, B one message a second, for ${options.duration} s…`,
    );
    const meter = new CpuMeter(() => {
      // `all` forks its worker: count the children with their parent.
      const omniPids = children.flatMap((child) => {
        const pid = child.process.pid ?? -1;
        return [pid, ...childPidsOf(pid)];
      });
      return { omni: omniPids, bench: [process.pid] };
    });
    meter.begin();
    const [floodResult, quietSent] = await Promise.all([
      flood(options.duration, 'flood', options.connections),
      quietSender.run(options.duration, 'quiet', true),
    ]);
    const cpu = meter.end();
    const backlogAtLoadEnd = await pending(db);
    console.log(
      `Load over; A's backlog ${backlogAtLoadEnd}. Waiting up to ${options.settle} s for B…`,
    );
    const settleUntil = Date.now() + options.settle * 1000;
    while (Date.now() < settleUntil && quietSender.outstandingRoutes > 0) await sleep(100);
    await sampler.finish(Math.max(0, settleUntil - Date.now()));

    const processedAt = await processedTimes(db, quietTenant.pageRowId);
    const loadStart = quietSender.series[0]?.sentAt ?? 0;
    const results = {
      benchmark: 'omni-fairness',
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      backendDist: relative(root, options.backendDist) || options.backendDist,
      options,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        busyBeforeStart,
        loadBeforeStart,
        busyDuringLoad: cpu?.machineBusy ?? null,
        /** % of one core during the load, by group; `other` is everyone else on the machine. */
        cpuDuringLoad: cpu?.byGroup ?? null,
      },
      flood: summariseFlood(floodResult, backlogAtLoadEnd),
      quiet: {
        sent: quietSent,
        acknowledgements: quietSender.acknowledgements,
        ackMs: distribution(quietSender.ackMs),
        storedMs: sampler.result(),
        routedMs: quietSender.routed(quietSender.outstandingRoutes),
        /**
         * Each message: seconds into the load it was sent; ms until its delivery was marked
         * processed (right before the commit that stores it); ms until routed.
         */
        series: quietSender.series.map((message) => {
          const processed = processedAt.get(message.psid);
          return [
            Math.round((message.sentAt - loadStart) / 100) / 10,
            processed === undefined ? null : Math.round(processed - message.sentAt),
            message.routedMs,
          ];
        }),
      },
      omniLogs: children.map((child) => ({ name: child.name, ...logSummary(child) })),
    };
    report(results);
    const directory = join(root, 'bench/fairness/results');
    mkdirSync(directory, { recursive: true });
    const file = join(directory, `${results.date.replace(/:/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`Wrote ${relative(root, file)}`);
  } finally {
    await cleanUp();
  }
}

async function pending(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from webhook_event where status = 'pending'`,
  );
  return rows[0]!.n;
}

/** B's deliveries: when each visitor's was marked processed (epoch ms), by PSID. */
async function processedTimes(db: pg.Pool, pageRowId: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ psid: string; processed_ms: number }>(
    `select convert_from(e.raw_body, 'UTF8')::jsonb #>> '{entry,0,messaging,0,sender,id}' as psid,
            extract(epoch from e.processed_at) * 1000 as processed_ms
       from webhook_event e join facebook_page p on p.tenant_id = e.tenant_id
      where p.id = $1 and e.processed_at is not null`,
    [pageRowId],
  );
  return new Map(rows.map((row) => [row.psid, Number(row.processed_ms)]));
}

function summariseFlood(load: LoadResult, backlogAtLoadEnd: number) {
  return {
    connections: load.connections,
    acceptedEventsPerS: load.acceptedEventsPerS,
    statuses: load.statuses,
    errors: load.errors,
    ackMs: load.ackLatencyMs,
    backlogAtLoadEnd,
  };
}

function report(results: {
  date: string;
  backendDist: string;
  options: Options;
  machine: Record<string, unknown>;
  flood: ReturnType<typeof summariseFlood>;
  quiet: {
    sent: number;
    acknowledgements: Record<string, number>;
    ackMs: Distribution;
    storedMs: Distribution;
    routedMs: Distribution;
    series: (number | null)[][];
  };
}): void {
  const show = (d: Distribution) =>
    `p50 ${d.p50 ?? '> wait'}   p99 ${d.p99 ?? '> wait'}   max ${d.max ?? '> wait'}   (n = ${d.count})`;
  const { machine, flood, quiet } = results;
  console.log(`\nOmni fairness benchmark, ${results.date}, ${results.backendDist}`);
  console.log(
    `${String(machine['cpus'])} × ${String(machine['cpuModel'])}; machine busy before ${String(machine['busyBeforeStart'])} %, during ${String(machine['busyDuringLoad'])} % of one core (${JSON.stringify(machine['cpuDuringLoad'])})`,
  );
  console.log(
    `A: ${flood.acceptedEventsPerS} events/s accepted over ${flood.connections} connections, ack p99 ${flood.ackMs.p99} ms, backlog ${flood.backlogAtLoadEnd} at the end`,
  );
  console.log(`B: ${quiet.sent} messages, answers ${JSON.stringify(quiet.acknowledgements)}`);
  console.log(`  POST → acknowledged, ms   ${show(quiet.ackMs)}`);
  console.log(`  POST → stored, ms         ${show(quiet.storedMs)}`);
  console.log(`  POST → routed, ms         ${show(quiet.routedMs)}`);
  const slowest = [...quiet.series]
    .sort((a, b) => (b[2] ?? Infinity) - (a[2] ?? Infinity))
    .slice(0, 5)
    .map(([at, processed, routed]) => `${at} s: ${processed ?? '?'} / ${routed ?? '?'} ms`);
  console.log(`  slowest (sent at: processed / routed) ${slowest.join('; ')}`);
  const met =
    quiet.storedMs.p99 !== null &&
    quiet.storedMs.p99 < TARGET_P99_MS &&
    quiet.routedMs.p99 !== null &&
    quiet.routedMs.p99 < TARGET_P99_MS;
  console.log(
    `\nTarget: B stored and routed with p99 < ${TARGET_P99_MS} ms: ${met ? 'MET' : 'MISSED'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
