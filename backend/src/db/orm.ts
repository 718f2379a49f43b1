import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Logger } from 'pino';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { entitySchemas } from './entities.js';
import { migrationsList } from './migrations/index.js';
import { createTenantFilter, TENANT_FILTER } from './tenant-filter.js';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export function createOrmOptions(config: Pick<Config, 'databaseUrl'>, logger?: Logger): Options {
  return defineConfig({
    clientUrl: config.databaseUrl,
    entities: entitySchemas,
    filters: { [TENANT_FILTER]: createTenantFilter(entitySchemas) },
    // The ORM would join every many-to-one relation to apply the tenant filter to it too;
    // a row never points at another tenant's row, so the joins only cost (and are planned
    // as nested sequential scans while a new database has no statistics yet).
    autoJoinRefsForFilters: false,
    extensions: [Migrator],
    migrations: {
      // Explicit list: works the same from src/ (tsx, vitest) and dist/ (node).
      migrationsList,
      path: migrationsFolder,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    forceUtcTimezone: true,
    // Every unit of work runs in a request or job context (RequestContext); touching the
    // global EntityManager outside one is a bug, and MikroORM throws for it.
    allowGlobalContext: false,
    pool: { min: 0, max: 10 },
    logger: (message) => logger?.debug({ component: 'orm' }, message),
  });
}

export function initOrm(config: Pick<Config, 'databaseUrl'>, logger?: Logger): Promise<MikroORM> {
  return MikroORM.init(createOrmOptions(config, logger));
}

export type { MikroORM };
