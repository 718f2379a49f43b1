/**
 * Process entry point: `node dist/main.js [all|api|worker|migrate|demo-seed|demo-reset|reseal-secrets|check-worker]`.
 *  - all          migrations, then the api, and the worker in a child process (`npm start`),
 *                 started again with back-off when it crashes
 *  - api          migrations (unless MIGRATE_ON_START=false), then HTTP + socket.io
 *  - worker       BullMQ consumers only
 *  - migrate      apply pending migrations and exit
 *  - demo-seed    migrations, then the demo business unless it exists (`npm run demo:seed`)
 *  - demo-reset   migrations, then the demo business deleted and seeded afresh
 *  - reseal-secrets  every stored secret sealed again with ENCRYPTION_KEY (`npm run secrets:reseal`)
 *  - check-worker exit 0 when a worker reported in recently (a container health check)
 * SIGTERM/SIGINT stop everything gracefully: no new requests or jobs, running ones finish.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, loadDotEnvFile, type Config } from './config.js';
import { RequestContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { resealSecrets } from './crypto/reseal-secrets.js';
import { SecretBox } from './crypto/secret-box.js';
import { sealedSecretColumns } from './db/entities.js';
import { runMigrations } from './db/migrate.js';
import { PasswordHasher } from './modules/auth/password-hasher.js';
import { ensureDemoTenant, resetDemoTenant } from './modules/demo/demo.seeder.js';
import { createFileStorage } from './modules/files/file-storage.js';
import { initOrm } from './db/orm.js';
import { JobQueues } from './jobs/job-queues.js';
import { createLogger, type Logger } from './logger.js';
import { Redis } from 'ioredis';
import { createRedis, redisKeys } from './redis.js';
import { startApi } from './api.js';
import type { Stoppable } from './wiring.js';
import { startWorker } from './worker.js';

const ROLES = [
  'all',
  'api',
  'worker',
  'migrate',
  'demo-seed',
  'demo-reset',
  'reseal-secrets',
  'check-worker',
] as const;
type Role = (typeof ROLES)[number];

async function main(): Promise<void> {
  const role = parseRole(process.argv[2]);
  loadDotEnvFile();
  const config = loadConfig();
  const logger = createLogger(config);
  if (role === 'check-worker') {
    process.exitCode = (await isWorkerAlive(config)) ? 0 : 1;
    return;
  }
  const orm = await initOrm(config, logger);
  const stoppables: Stoppable[] = [{ name: 'database', stop: () => orm.close() }];

  const isOneOff =
    role === 'migrate' ||
    role === 'demo-seed' ||
    role === 'demo-reset' ||
    role === 'reseal-secrets';
  const migrates = isOneOff && role !== 'reseal-secrets';
  if (migrates || ((role === 'all' || role === 'api') && config.migrateOnStart)) {
    await runMigrations(orm, config.databaseUrl, logger);
  }
  if (role === 'demo-seed' || role === 'demo-reset') {
    await RequestContext.create(orm.em, () =>
      (role === 'demo-seed' ? ensureDemoTenant : resetDemoTenant)({
        em: orm.em as EntityManager,
        passwords: new PasswordHasher(),
        secrets: new SecretBox(config.encryptionKey, config.encryptionKeyPrevious),
        encryptionKey: config.encryptionKey,
        logger,
        isProduction: config.isProduction,
        storage: createFileStorage(config),
      }),
    );
  }
  if (role === 'reseal-secrets') {
    const report = await resealSecrets({
      em: orm.em as EntityManager,
      secrets: new SecretBox(config.encryptionKey, config.encryptionKeyPrevious),
      tables: sealedSecretColumns,
      logger,
    });
    logger.info(report, 'secrets resealed with ENCRYPTION_KEY');
    // Values neither key opens stay as they were: ENCRYPTION_KEY_PREVIOUS must not go yet.
    if (report.unreadable.length > 0) process.exitCode = 1;
  }
  if (isOneOff) return void (await orm.close());

  const redis = createRedis(config, role, logger);
  const queues = new JobQueues(redis, config.redisPrefix, logger);
  stoppables.push({ name: 'redis', stop: async () => void redis.disconnect() });
  stoppables.push({ name: 'queues', stop: () => queues.close() });

  const infrastructure = { config, orm, redis, queues, logger };
  if (role === 'worker') stoppables.push(await startWorker(infrastructure));
  if (role === 'all') stoppables.push(startWorkerProcess(logger));
  if (role === 'all' || role === 'api') stoppables.push(await startApi(infrastructure));
  stopGracefullyOnSignals(stoppables, config, logger);
  // The worker `all` forked: if its api process dies without stopping it, it stops too.
  if (process.connected) process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

/** How much lower the worker process's CPU priority is than the api's under `all`. */
const WORKER_NICENESS = 10;

/**
 * How soon a crashed worker process is started again: 1 s, then twice as long after each
 * crash in a row, at most 30 s; a worker that ran a minute starts the count afresh.
 */
const WORKER_RESTART_BACKOFF = { firstMs: 1_000, maxMs: 30_000, stableAfterMs: 60_000 };

/** The delay before restart number `restartsInARow` (0 for the first after a stable run). */
function workerRestartDelayMs(restartsInARow: number): number {
  const { firstMs, maxMs } = WORKER_RESTART_BACKOFF;
  return Math.min(firstMs * 2 ** Math.min(restartsInARow, 30), maxMs);
}

/**
 * The worker of `all`, as a child process of the api's: a backlog of CPU-heavy jobs then
 * runs beside the api instead of inside its event loop, and at a lower priority, so that
 * Facebook's deliveries are acknowledged at once even while the worker catches up. If the
 * worker dies, the api keeps serving and starts another with back-off (a crash loop must not
 * spin); stored work waits in PostgreSQL meanwhile and /health says `degraded`.
 */
function startWorkerProcess(logger: Logger): Stoppable {
  let child: ChildProcess;
  let exited: Promise<void> = Promise.resolve();
  let restartsInARow = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let isStopping = false;

  const spawnWorker = () => {
    const startedAt = Date.now();
    child = fork(fileURLToPath(import.meta.url), ['worker'], { stdio: 'inherit' });
    try {
      if (child.pid) setPriority(child.pid, WORKER_NICENESS);
    } catch (error) {
      logger.warn({ err: error }, 'could not lower the worker process priority');
    }
    logger.info({ pid: child.pid }, 'worker process started');
    exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        resolve();
        // Ctrl-C reaches the worker too, so it may stop before the api does: that is fine.
        if (isStopping || isShuttingDown) return;
        if (Date.now() - startedAt >= WORKER_RESTART_BACKOFF.stableAfterMs) restartsInARow = 0;
        const restartInMs = workerRestartDelayMs(restartsInARow++);
        logger.error(
          { code, signal, restartInMs, restartsInARow },
          'the worker process stopped; restarting it',
        );
        restartTimer = setTimeout(spawnWorker, restartInMs);
      }),
    );
  };
  spawnWorker();
  return {
    name: 'worker process',
    stop: async () => {
      isStopping = true;
      clearTimeout(restartTimer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function isWorkerAlive(config: Config): Promise<boolean> {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 3_000 });
  try {
    const lastSeenAt = await redis.get(redisKeys.workerHeartbeat(config.redisPrefix));
    console.log(
      lastSeenAt
        ? `worker last seen at ${lastSeenAt}`
        : 'no worker reported in during the last 15 seconds',
    );
    return lastSeenAt !== null;
  } finally {
    redis.disconnect();
  }
}

function parseRole(argument: string | undefined): Role {
  const role = argument ?? 'all';
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new ConfigError(`Unknown process role "${role}": use one of ${ROLES.join(', ')}.`);
  }
  return role as Role;
}

/** Set once a graceful shutdown has begun. */
let isShuttingDown = false;

function stopGracefullyOnSignals(stoppables: Stoppable[], config: Config, logger: Logger): void {
  const stop = async (signal: string) => {
    if (isShuttingDown) return;
    isShuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const forceExit = setTimeout(() => {
      logger.error('shutdown took too long; exiting anyway');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    forceExit.unref();
    for (const stoppable of [...stoppables].reverse()) {
      await stoppable
        .stop()
        .catch((error: unknown) =>
          logger.error({ err: error, part: stoppable.name }, 'stop failed'),
        );
    }
    logger.flush();
    process.exit(process.exitCode ?? 0);
  };
  // A second signal during the shutdown is ignored rather than killing the process midway.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  // Configuration mistakes get their sentence alone; anything else, the full stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
