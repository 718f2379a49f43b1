/**
 * Process entry point: `node dist/main.js [all|api|worker|migrate|check-worker]`.
 *  - all          migrations, then the api and the worker in one process (`npm start`)
 *  - api          migrations (unless MIGRATE_ON_START=false), then HTTP + socket.io
 *  - worker       BullMQ consumers only
 *  - migrate      apply pending migrations and exit
 *  - check-worker exit 0 when a worker reported in recently (a container health check)
 * SIGTERM/SIGINT stop everything gracefully: no new requests or jobs, running ones finish.
 */
import { ConfigError, loadConfig, loadDotEnvFile, type Config } from './config.js';
import { runMigrations } from './db/migrate.js';
import { initOrm } from './db/orm.js';
import { JobQueues } from './jobs/job-queues.js';
import { createLogger, type Logger } from './logger.js';
import { Redis } from 'ioredis';
import { createRedis, redisKeys } from './redis.js';
import { startApi, startWorker, type Stoppable } from './server.js';

const ROLES = ['all', 'api', 'worker', 'migrate', 'check-worker'] as const;
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

  if (role === 'migrate' || ((role === 'all' || role === 'api') && config.migrateOnStart)) {
    await runMigrations(orm, config.databaseUrl, logger);
  }
  if (role === 'migrate') return void (await orm.close());

  const redis = createRedis(config, role, logger);
  const queues = new JobQueues(redis, config.redisPrefix, logger);
  stoppables.push({ name: 'redis', stop: async () => void redis.disconnect() });
  stoppables.push({ name: 'queues', stop: () => queues.close() });

  const infrastructure = { config, orm, redis, queues, logger };
  if (role === 'all' || role === 'worker') stoppables.push(await startWorker(infrastructure));
  if (role === 'all' || role === 'api') stoppables.push(await startApi(infrastructure));
  stopGracefullyOnSignals(stoppables, config, logger);
}

async function isWorkerAlive(config: Config): Promise<boolean> {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 3_000 });
  try {
    const lastSeenAt = await redis.get(redisKeys.workerHeartbeat(config.redisPrefix));
    console.log(
      lastSeenAt
        ? `worker last seen at ${lastSeenAt}`
        : 'no worker reported in during the last minute',
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

function stopGracefullyOnSignals(stoppables: Stoppable[], config: Config, logger: Logger): void {
  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
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
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  // Configuration mistakes get their sentence alone; anything else, the full stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
