import type { TestProject } from 'vitest/node';
import { createTestEnvironment } from './test-environment.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    redisPrefix: string;
  }
}

/** One database and Redis prefix for the whole run; removed afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const environment = await createTestEnvironment({
    databaseServerUrl:
      process.env['TEST_DATABASE_SERVER_URL'] ?? 'postgres://postgres@127.0.0.1:5432',
    redisUrl: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    label: 'test',
  });
  project.provide('databaseUrl', environment.databaseUrl);
  project.provide('redisUrl', environment.redisUrl);
  project.provide('redisPrefix', environment.redisPrefix);
  return environment.dispose;
}
