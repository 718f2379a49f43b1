import type { MikroORM } from '@mikro-orm/core';
import { Client } from 'pg';
import type { Logger } from '../logger.js';

/** Any constant works; it only has to be the same for every Omni process. */
const MIGRATION_LOCK_ID = 727_001;

/**
 * Applies pending migrations. Several api instances may start at once, so a PostgreSQL
 * advisory lock (held on its own connection) lets exactly one of them migrate at a time.
 */
export async function runMigrations(
  orm: MikroORM,
  databaseUrl: string,
  logger: Logger,
): Promise<void> {
  const lock = new Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await orm.getMigrator().up();
    if (applied.length > 0) {
      logger.info({ migrations: applied.map((migration) => migration.name) }, 'migrations applied');
    }
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await lock.end();
  }
}
