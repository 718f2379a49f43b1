import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { initOrm, type MikroORM } from './orm.js';

let orm: MikroORM;
beforeAll(async () => {
  orm = await initOrm({ databaseUrl: inject('databaseUrl') });
});
afterAll(() => orm.close());

describe('migrations', () => {
  it('are all applied to the test database, built from nothing', async () => {
    expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
    expect((await orm.getMigrator().getExecutedMigrations()).length).toBeGreaterThan(0);
  });

  it('build exactly the schema the entities describe (run npm run db:migration:create if not)', async () => {
    const difference = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(difference.trim()).toBe('');
  });
});
