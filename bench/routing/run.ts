/**
 * Omni's routing benchmark: how long from a conversation starting to wait to its assignment
 * arriving at the operator's socket, at a steady rate of new conversations.
 *
 *   npm run build -w backend        # once: the benchmark runs backend/dist, as production does
 *   npm run bench:routing           # = npx tsx bench/routing/run.ts; --help for the options
 *
 * What it does, all on 127.0.0.1, and undone at the end even when it fails:
 *  1. a private PostgreSQL database and Redis key prefix (createTestEnvironment, migrated);
 *  2. the built Omni (`node backend/dist/main.js all`, NODE_ENV=production) and the fake
 *     Graph API; a tenant with one department and a page routed to it, through the API;
 *  3. `--operators` operators created and signed in through the API, each online with its
 *     own socket.io connection, as the panel connects;
 *  4. `--rate` new waiting conversations per second for `--duration` seconds, each written
 *     to PostgreSQL the way the inbound worker leaves it (contact + queued conversation,
 *     committed) and the dispatcher woken exactly as Omni wakes it. The webhook path is left
 *     out on purpose: bench/ingest measures it, and this measures the queue;
 *  5. for each conversation: the time from its commit to the first `conversation.updated`
 *     with status "assigned" on any operator socket (one clock: this process);
 *  6. then checks PostgreSQL: every conversation assigned once, nobody over capacity.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import type * as Testing from '@omni/backend/testing';
import type * as JobQueuesModule from '../../backend/dist/jobs/job-queues.js';
import { sleep, tail } from '../shared/processes.js';
import { startBenchOmni } from '../shared/bench-omni.js';
import { api, connect, positiveInteger } from '../shared/omni-client.js';
import { distribution, type Distribution } from '../shared/stats.js';

const HELP = `Usage: npx tsx bench/routing/run.ts [options]   (or: npm run bench:routing -- [options])

  --rate <n>          new waiting conversations per second     BENCH_RATE       200
  --duration <s>      seconds of load                          BENCH_DURATION   10
  --operators <n>     online operators, each with a socket     BENCH_OPERATORS  100
  --roles all|split   one Omni process, or api and worker apart               all
  --omni-node-args="…" Node flags for Omni, e.g. --cpu-prof --cpu-prof-dir=/tmp/prof
  --help

PostgreSQL and Redis: TEST_DATABASE_SERVER_URL (postgres://postgres@127.0.0.1:5432) and
TEST_REDIS_URL (redis://127.0.0.1:6379), as in the test suites.`;

const root = fileURLToPath(new URL('../..', import.meta.url));
const TARGET_P99_MS = 100;
/** Seconds of untimed load before the measured one. */
const WARM_UP_SECONDS = 2;
/** How long after the load the benchmark waits for the last assignments. */
const SETTLE_MS = 10_000;

type Options = {
  rate: number;
  duration: number;
  operators: number;
  roles: 'all' | 'split';
  omniNodeArgs: string[];
};

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: process.env['BENCH_RATE'] ?? '200' },
      duration: { type: 'string', default: process.env['BENCH_DURATION'] ?? '10' },
      operators: { type: 'string', default: process.env['BENCH_OPERATORS'] ?? '100' },
      roles: { type: 'string', default: 'all' },
      'omni-node-args': { type: 'string', default: process.env['BENCH_OMNI_NODE_ARGS'] ?? '' },
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
    rate: positiveInteger('rate', values.rate),
    duration: positiveInteger('duration', values.duration),
    operators: positiveInteger('operators', values.operators),
    roles: values.roles,
    omniNodeArgs: values['omni-node-args'].split(' ').filter(Boolean),
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const testing = (await import('@omni/backend/testing')) as typeof Testing;
  const { JobQueues } = (await import(
    pathToFileURL(join(root, 'backend/dist/jobs/job-queues.js')).href
  )) as typeof JobQueuesModule;
  const databaseServerUrl =
    process.env['TEST_DATABASE_SERVER_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
  const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const warmUpCount = options.rate * WARM_UP_SECONDS;
  const capacity = Math.min(
    100,
    Math.ceil((options.rate * options.duration + warmUpCount) / options.operators) + 5,
  );

  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = async () => {
    // Taken out of the list: Ctrl-C and the end of the run may both call this.
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((error) => console.error(error));
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    const {
      environment,
      graph: fakeGraph,
      baseUrl,
      children,
    } = await startBenchOmni({
      testing,
      label: 'routing',
      databaseServerUrl,
      redisUrl,
      entry: join(root, 'backend/dist/main.js'),
      roles: options.roles,
      nodeArgs: options.omniNodeArgs,
      cleanups,
    });

    console.log(
      `Creating a tenant and ${options.operators} operators (capacity ${capacity} each)…`,
    );
    const admin = await api<{ token: string; tenant: { id: string } }>(
      baseUrl,
      'POST',
      '/api/auth/signup',
      {
        tenantName: 'Routing bench',
        name: 'Admin',
        email: `admin-${randomBytes(4).toString('hex')}@bench.test`,
        password: 'bench password',
      },
    );
    const department = await api<{ id: string }>(
      baseUrl,
      'POST',
      '/api/departments',
      { name: 'Support' },
      admin.token,
    );
    const fakePage = testing.registerRandomPage(fakeGraph);
    const page = await api<{ id: string }>(
      baseUrl,
      'POST',
      '/api/channels/facebook',
      {
        name: 'Bench page',
        accessToken: fakePage.accessToken,
        appSecret: fakePage.appSecret,
        departmentId: department.id,
      },
      admin.token,
    );
    const sockets: Socket[] = [];
    cleanups.push(async () => sockets.forEach((socket) => socket.disconnect()));
    const assignedAt = new Map<string, number>();
    for (let index = 0; index < options.operators; index++) {
      const email = `operator-${index}-${randomBytes(3).toString('hex')}@bench.test`;
      await api(
        baseUrl,
        'POST',
        '/api/operators',
        {
          email,
          password: 'bench password',
          name: `Operator ${index + 1}`,
          role: 'operator',
          departmentIds: [department.id],
          maxChats: capacity,
        },
        admin.token,
      );
      const { token } = await api<{ token: string }>(baseUrl, 'POST', '/api/auth/login', {
        email,
        password: 'bench password',
      });
      const socket = await connect(baseUrl, token);
      socket.on('conversation.updated', (conversation: { id: string; status: string }) => {
        if (conversation.status === 'assigned' && !assignedAt.has(conversation.id))
          assignedAt.set(conversation.id, performance.now());
      });
      sockets.push(socket);
      await api(baseUrl, 'PUT', '/api/me/status', { status: 'online' }, token);
    }

    const db = new pg.Pool({ connectionString: environment.databaseUrl, max: 8 });
    cleanups.push(() => db.end());
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    cleanups.push(async () => redis.disconnect());
    const silent = {
      debug() {},
      info() {},
      warn() {},
      error() {},
    } as unknown as ConstructorParameters<typeof JobQueues>[2];
    const queues = new JobQueues(redis, environment.redisPrefix, silent);
    cleanups.push(() => queues.close());

    const waitingSince = new Map<string, number>();
    /** `count` new waiting conversations at the rate, each timed from its commit when `timed`. */
    const offer = async (count: number, timed: boolean) => {
      const started = performance.now();
      const inFlight: Promise<void>[] = [];
      for (let sequence = 0; sequence < count; sequence++) {
        const due = started + (sequence * 1000) / options.rate;
        const delay = due - performance.now();
        if (delay > 0) await sleep(delay);
        inFlight.push(
          (async () => {
            const { rows } = await db.query<{ id: string }>(
              `with contact as (
                 insert into contact (id, tenant_id, page_id, psid)
                 values (gen_random_uuid(), $1, $2, $3) returning id)
               insert into conversation (id, tenant_id, contact_id, page_id, department_id, status, queued_at)
               select gen_random_uuid(), $1, contact.id, $2, $4, 'queued', now() from contact
               returning id`,
              [admin.tenant.id, page.id, `bench-${timed}-${sequence}`, department.id],
            );
            if (timed) waitingSince.set(rows[0]!.id, performance.now());
            await queues.wake('routing-dispatch', { tenantId: admin.tenant.id }, admin.tenant.id);
          })(),
        );
      }
      await Promise.all(inFlight);
    };

    // Not timed: JIT, connection pools, and tables with rows for the planner's statistics
    // (ANALYZE, as autovacuum does on any database that has been running; a brand-new one
    // has none, and plans nested loops over sequential scans for its first minute).
    console.log(`Warm-up: ${warmUpCount} conversations, then ANALYZE…`);
    await offer(warmUpCount, false);
    const warmUntil = performance.now() + SETTLE_MS;
    while (assignedAt.size < warmUpCount && performance.now() < warmUntil) await sleep(100);
    await db.query('analyze');
    assignedAt.clear();

    console.log(
      `Load: ${options.rate} new waiting conversations per second for ${options.duration} s…`,
    );
    const total = options.rate * options.duration;
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    await offer(total, true);
    const loadSeconds = (performance.now() - started) / 1000;
    const benchCpu = process.cpuUsage(cpuAtStart);
    console.log(
      `bench process CPU during load: ${Math.round((benchCpu.user + benchCpu.system) / 10_000 / loadSeconds)} % of a core`,
    );
    const settleUntil = performance.now() + SETTLE_MS;
    const timedAssigned = () => [...waitingSince.keys()].filter((id) => assignedAt.has(id)).length;
    while (timedAssigned() < total && performance.now() < settleUntil) await sleep(100);

    const latencies = [...waitingSince].flatMap(([id, since]) => {
      const at = assignedAt.get(id);
      return at === undefined ? [] : [at - since];
    });
    const result = distribution(latencies, total - latencies.length);
    const { rows: integrity } = await db.query<{ twice: string; over: string; assigned: string }>(
      `select
         (select count(*) from (select conversation_id from conversation_event
            where type in ('assigned', 'taken') group by conversation_id having count(*) > 1) d) as twice,
         (select count(*) from (select operator_id from conversation where status = 'assigned'
            group by operator_id having count(*) > $1) o) as over,
         (select count(*) from conversation where status = 'assigned') as assigned`,
      [capacity],
    );
    report(options, capacity, loadSeconds, result, integrity[0]!);
    writeResults(options, capacity, loadSeconds, result, integrity[0]!);
    for (const child of children) {
      const log = tail(child.logFile, 5).trim();
      if (log) console.log(`\n${child.name} log (last lines):\n${log}`);
    }
  } finally {
    await cleanUp();
  }
}

function report(
  options: Options,
  capacity: number,
  loadSeconds: number,
  latency: Distribution,
  integrity: { twice: string; over: string; assigned: string },
): void {
  const cpu = cpus();
  console.log(`\nOmni routing benchmark, ${new Date().toISOString()}`);
  console.log(
    `${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`,
  );
  console.log(
    `Omni roles=${options.roles}; ${options.operators} operators online (capacity ${capacity} each), one socket each`,
  );
  console.log(
    `Offered ${options.rate} new waiting conversations/s for ${options.duration} s (took ${loadSeconds.toFixed(1)} s)\n`,
  );
  console.log(`  waiting → assignment at the operator's socket, ms`);
  console.log(
    `    p50 ${latency.p50 ?? '>wait'}   p90 ${latency.p90 ?? '>wait'}   p99 ${latency.p99 ?? '>wait'}   max ${latency.max ?? '>wait'}   (n = ${latency.count})`,
  );
  console.log(
    `  assigned ${integrity.assigned}, assigned twice ${integrity.twice}, operators over capacity ${integrity.over}`,
  );
  const met =
    latency.p99 !== null &&
    latency.p99 < TARGET_P99_MS &&
    integrity.twice === '0' &&
    integrity.over === '0';
  console.log(
    `\nTarget p99 < ${TARGET_P99_MS} ms with nothing assigned twice: ${met ? 'MET' : 'MISSED'}`,
  );
}

function writeResults(
  options: Options,
  capacity: number,
  loadSeconds: number,
  latency: Distribution,
  integrity: Record<string, string>,
): void {
  const directory = join(root, 'bench/routing/results');
  mkdirSync(directory, { recursive: true });
  const file = join(
    directory,
    `${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}Z.json`,
  );
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        options,
        capacity,
        loadSeconds,
        latencyMs: latency,
        integrity,
      },
      null,
      2,
    ),
  );
  console.log(`Wrote ${file.slice(root.length)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
