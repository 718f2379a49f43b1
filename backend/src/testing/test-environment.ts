import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createDatabase, dropDatabase } from '../db/database-admin.js';
import { initOrm } from '../db/orm.js';

// The fake Graph API, for suites outside the backend (e2e, benchmarks) through one import.
export {
  startFakeGraphServer,
  type FakeGraphServer,
} from '../modules/fake-graph/fake-graph-server.js';
export { registerRandomPage, registerRandomUser } from './fake-graph-fixtures.js';

export type TestEnvironment = {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Drops the database and deletes every Redis key under the prefix. */
  dispose: () => Promise<void>;
};

/**
 * A private database (migrated from nothing, so every run tests the migrations too) and a
 * private Redis key prefix for one test run. Used by the backend and the e2e suites.
 */
export async function createTestEnvironment(options: {
  databaseServerUrl: string;
  redisUrl: string;
  label: string;
}): Promise<TestEnvironment> {
  const runId = `${options.label}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = `${options.databaseServerUrl.replace(/\/+$/, '')}/omni_${runId}`;
  const redisPrefix = `omni-${runId}`;
  await createDatabase(databaseUrl);
  const orm = await initOrm({ databaseUrl });
  try {
    await orm.getMigrator().up();
  } finally {
    await orm.close();
  }
  return {
    databaseUrl,
    redisUrl: options.redisUrl,
    redisPrefix,
    dispose: async () => {
      await dropDatabase(databaseUrl);
      await deleteRedisKeys(options.redisUrl, redisPrefix);
    },
  };
}

/** Deletes every key under `prefix` (and only those): "Redis came back empty", for one test run. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
      const batch = keys as string[];
      if (batch.length > 0) await redis.unlink(...batch);
    }
  } finally {
    redis.disconnect();
  }
}
