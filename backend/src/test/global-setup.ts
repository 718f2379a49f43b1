import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { Redis } from 'ioredis';
import { createDatabase, dropDatabase } from '../db/database-admin.js';
import { initOrm } from '../db/orm.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    redisPrefix: string;
  }
}

const serverUrl = process.env['TEST_DATABASE_SERVER_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Each run gets its own database (migrated from scratch, so the migrations are tested too)
 * and its own Redis key prefix; both are removed afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = randomBytes(4).toString('hex');
  const databaseUrl = `${serverUrl}/omni_test_${runId}`;
  const redisPrefix = `omni-test-${runId}`;
  await createDatabase(databaseUrl);
  const orm = await initOrm({ databaseUrl });
  await orm.getMigrator().up();
  await orm.close();
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('redisPrefix', redisPrefix);

  return async () => {
    await dropDatabase(databaseUrl);
    await deleteRedisKeys(redisUrl, redisPrefix);
  };
}

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}
