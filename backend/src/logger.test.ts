import { PassThrough } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { initOrm, type MikroORM } from './db/orm.js';
import { sqlTransaction } from './db/sql.js';
import { createLogger, redactSqlLiterals } from './logger.js';
import { Tenant } from './modules/tenants/tenant.entity.js';

/** A logger whose lines the test reads back. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const logger = createLogger({ logLevel: 'info', env: 'test' }, stream);
  return { logger, output: () => lines.join('') };
}

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to fail');
}

describe('a failed SQL statement in the log', () => {
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await initOrm({ databaseUrl: inject('databaseUrl') });
  });
  afterAll(() => orm.close());

  it('keeps its shape, the reason and the constraint, never the parameter values', async () => {
    const secret = `secret-${Date.now()}@private.example`;
    const em = orm.em.fork() as EntityManager;
    const first = new Tenant('First');
    first.key = secret;
    await em.persist(first).flush();
    const duplicate = new Tenant('Second');
    duplicate.key = secret;
    const ormError = await failureOf(() => orm.em.fork().persist(duplicate).flush());
    const rawError = await failureOf(() =>
      sqlTransaction(em, (sql) => sql.acrossTenants('select 1 from tenant where id = ?', [secret])),
    );

    const { logger, output } = capturingLogger();
    logger.error({ err: ormError }, 'request failed');
    logger.error({ err: rawError }, 'job failed');
    logger.error(ormError as Error);
    logger.error({ err: new Error('could not save', { cause: ormError }) }, 'wrapped');
    await new Promise((resolve) => setImmediate(resolve));

    const log = output();
    expect(String((ormError as Error).message)).toContain(secret); // what is at stake
    expect(log).not.toContain(secret);
    expect(log).not.toContain('private.example');
    expect(log).toContain('UniqueConstraintViolationException');
    expect(log).toContain('duplicate key value violates unique constraint');
    expect(log).toContain('"constraint":"tenant_key_unique"');
    expect(log).toContain('could not save: insert into \\"tenant\\"');
    expect(log).toContain('invalid input syntax for type uuid: \\"?\\"');
  });
});

describe('redactSqlLiterals', () => {
  it('replaces strings, numbers and quoted values, and keeps identifiers and placeholders', () => {
    expect(
      redactSqlLiterals(
        `insert into "app_user" ("email", "max_chats", "t1") values ('ann@example.com', 3, E'it\\'s') - x`,
      ),
    ).toBe(`insert into "app_user" ("email", "max_chats", "t1") values (?, ?, ?) - x`);
    expect(redactSqlLiterals(`select * from "t" where "a" = 'it''s' and b = $1 limit 10`)).toBe(
      `select * from "t" where "a" = ? and b = $1 limit ?`,
    );
    expect(redactSqlLiterals('invalid input value for enum role: "boss"')).toBe(
      'invalid input value for enum role: "?"',
    );
  });
});
