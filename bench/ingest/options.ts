import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Everything a run can be told, from `--flag value` or the matching `BENCH_*` variable. */
export type BenchOptions = {
  /** Seconds of the saturation phase (closed loop, `connections` requests always in flight). */
  duration: number;
  /** Concurrent keep-alive connections, in both phases. */
  connections: number;
  /** Events the fixed-rate phase offers per second (the target). */
  rate: number;
  /** Seconds of the fixed-rate phase. */
  rateDuration: number;
  /** Messenger events in one delivery (Facebook batches several into one POST). */
  eventsPerDelivery: number;
  /** Distinct visitors (PSIDs) the events are spread over, round-robin. */
  visitors: number;
  /** After a phase, how long to wait for the worker to process the backlog. */
  drainTimeout: number;
  /**
   * `all`: what npm start runs (the api, and the worker it forks); `split`: two processes (compose);
   * `api-only`: no worker at all, to measure the acknowledgement path alone (nothing is
   * processed, so the time-to-stored figures stay empty).
   */
  roles: 'all' | 'split' | 'api-only';
  /** Omni's LOG_LEVEL (production's default is info: one log line per request). */
  logLevel: string;
  /** Also load a bare Koa app that only answers 200, as the ceiling of this machine. */
  baseline: boolean;
  /** Node flags for Omni, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it. */
  omniNodeArgs: string[];
  /** Keep Omni's log files (printed path) instead of deleting them with the rest. */
  keepLogs: boolean;
  /** The built backend to run (default backend/dist): another build to compare with. */
  backendDist: string;
  databaseServerUrl: string;
  redisUrl: string;
  resultsDir: string;
};

const HELP = `Usage: npx tsx bench/ingest/run.ts [options]   (or: npm run bench:ingest -- [options])

  --duration <s>              saturation phase length            BENCH_DURATION      20
  --connections <n>           keep-alive connections             BENCH_CONNECTIONS   50
  --rate <events/s>           fixed-rate phase offered load      BENCH_RATE          1000
  --rate-duration <s>         fixed-rate phase length            BENCH_RATE_DURATION 10
  --events-per-delivery <n>   Messenger events per POST          BENCH_EVENTS_PER_DELIVERY 1
  --visitors <n>              distinct PSIDs                     BENCH_VISITORS      5000
  --drain-timeout <s>         wait for the worker after a phase  BENCH_DRAIN_TIMEOUT 15
  --roles all|split|api-only  one Omni process, api + worker apart, or no worker   all
  --log-level <level>         Omni's LOG_LEVEL                   BENCH_LOG_LEVEL     warn
  --backend-dist <dir>        the build to run                   BENCH_BACKEND_DIST  backend/dist
  --omni-node-args="<flags>"  Node flags for Omni (profiling)    BENCH_OMNI_NODE_ARGS
  --keep-logs                 keep Omni's log files               BENCH_KEEP_LOGS=1
  --no-baseline               skip the bare Koa endpoint
  --help

PostgreSQL and Redis: TEST_DATABASE_SERVER_URL (postgres://postgres@127.0.0.1:5432) and
TEST_REDIS_URL (redis://127.0.0.1:6379), as in the test suites.`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      rate: { type: 'string' },
      'rate-duration': { type: 'string' },
      'events-per-delivery': { type: 'string' },
      visitors: { type: 'string' },
      'drain-timeout': { type: 'string' },
      roles: { type: 'string' },
      'log-level': { type: 'string' },
      'no-baseline': { type: 'boolean' },
      'backend-dist': { type: 'string' },
      'omni-node-args': { type: 'string' },
      'keep-logs': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const env = process.env;
  const roles = values.roles ?? env['BENCH_ROLES'] ?? 'all';
  if (roles !== 'all' && roles !== 'split' && roles !== 'api-only')
    throw new Error('--roles must be "all", "split" or "api-only".');
  return {
    duration: positive('duration', values.duration ?? env['BENCH_DURATION'], 20),
    connections: positive('connections', values.connections ?? env['BENCH_CONNECTIONS'], 50),
    rate: positive('rate', values.rate ?? env['BENCH_RATE'], 1000),
    rateDuration: positive(
      'rate-duration',
      values['rate-duration'] ?? env['BENCH_RATE_DURATION'],
      10,
    ),
    eventsPerDelivery: positive(
      'events-per-delivery',
      values['events-per-delivery'] ?? env['BENCH_EVENTS_PER_DELIVERY'],
      1,
    ),
    visitors: positive('visitors', values.visitors ?? env['BENCH_VISITORS'], 5000),
    drainTimeout: positive(
      'drain-timeout',
      values['drain-timeout'] ?? env['BENCH_DRAIN_TIMEOUT'],
      15,
    ),
    roles,
    logLevel: values['log-level'] ?? env['BENCH_LOG_LEVEL'] ?? 'warn',
    baseline: !(values['no-baseline'] ?? env['BENCH_NO_BASELINE'] === '1'),
    omniNodeArgs: (values['omni-node-args'] ?? env['BENCH_OMNI_NODE_ARGS'] ?? '')
      .split(' ')
      .filter(Boolean),
    keepLogs: values['keep-logs'] ?? env['BENCH_KEEP_LOGS'] === '1',
    backendDist: resolve(
      values['backend-dist'] ??
        env['BENCH_BACKEND_DIST'] ??
        fileURLToPath(new URL('../../backend/dist', import.meta.url)),
    ),
    databaseServerUrl: env['TEST_DATABASE_SERVER_URL'] ?? 'postgres://postgres@127.0.0.1:5432',
    redisUrl: env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    resultsDir: fileURLToPath(new URL('./results/', import.meta.url)),
  };
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} must be a positive number.`);
  return value;
}
