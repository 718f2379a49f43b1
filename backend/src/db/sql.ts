import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Plain SQL, for the set-based hot paths (the dispatcher, inbound processing) where a
 * statement per batch beats the unit of work's statement per row. It is written only in a
 * feature's store or repository file (ARCHITECTURE.md, "Data access").
 *
 * Every statement says whose rows it touches: `forTenant(id)` binds `:tenant` and refuses a
 * statement that does not name it, so a tenant's statement cannot forget its scope;
 * `acrossTenants` is the explicit exception (sweeps, the inbound claim, batches whose rows
 * each carry their tenant), and refuses `:tenant`. Other placeholders are `?`; rows come back
 * as the ORM's driver parses them (timestamps as text).
 */
export type Sql = {
  forTenant(tenantId: string): Statement;
  acrossTenants: Statement;
};

/** One statement and its `?` parameters, in order. */
export type Statement = <Row = Record<string, unknown>>(
  text: string,
  params?: unknown[],
) => Promise<Row[]>;

/** Attempts of a transaction that PostgreSQL picked as a deadlock victim. */
const DEADLOCK_ATTEMPTS = 3;

/** Runs `work` in its own transaction (a fresh fork), retried when it was a deadlock victim. */
export async function sqlTransaction<T>(
  em: EntityManager,
  work: (sql: Sql) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.fork().transactional((transactionEm) => work(sqlIn(transactionEm)));
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
    }
  }
}

/**
 * Flushes `em`'s unit of work and runs `work` in the same transaction: for a change made
 * through entities that must commit together with rows written in SQL (outbox entries).
 */
export async function flushWith<T>(em: EntityManager, work: (sql: Sql) => Promise<T>): Promise<T> {
  await em.begin();
  try {
    await em.flush();
    const result = await work(sqlIn(em));
    await em.commit();
    return result;
  } catch (error) {
    await em.rollback();
    throw error;
  }
}

/** Plain SQL on `em`'s connection: in its transaction when it has one, else each on its own. */
export function sqlIn(em: EntityManager): Sql {
  const connection = em.getConnection();
  const run: Statement = (text, params = []) =>
    connection.execute(text, params, 'all', em.getTransactionContext());
  return {
    forTenant: (tenantId) => (text, params) => {
      const bound = bindTenant(text, params ?? [], tenantId);
      return run(bound.text, bound.params);
    },
    acrossTenants: (text, params) => {
      if (TENANT_PLACEHOLDER.test(text)) {
        throw new Error('A statement across tenants cannot take :tenant; use forTenant.');
      }
      return run(text, params);
    },
  };
}

/** `?` (a value), `??` (an identifier), `\?` (a literal question mark) or `:tenant` (not a `::` cast). */
const PLACEHOLDERS = /\\\?|\?\??|(?<![:\w]):tenant\b/g;
const TENANT_PLACEHOLDER = /(?<![:\w]):tenant\b/;

/** Turns each `:tenant` into a `?` bound to `tenantId`, the other parameters kept in order. */
function bindTenant(
  text: string,
  params: unknown[],
  tenantId: string,
): { text: string; params: unknown[] } {
  const bound: unknown[] = [];
  let next = 0;
  let namesTenant = false;
  const replaced = text.replace(PLACEHOLDERS, (placeholder) => {
    if (placeholder === '\\?') return placeholder;
    if (placeholder === ':tenant') {
      namesTenant = true;
      bound.push(tenantId);
      return '?';
    }
    bound.push(params[next++]);
    return placeholder;
  });
  if (!namesTenant) {
    throw new Error("A tenant's statement must name its tenant (:tenant).");
  }
  if (next !== params.length) {
    throw new Error(`The statement has ${next} parameters; ${params.length} were given.`);
  }
  return { text: replaced, params: bound };
}

/**
 * A PostgreSQL array literal for `?::uuid[]` / `?::text[]` (the driver's formatter would
 * spread a JS array into a list). Only for ids and fixed words: no quoting is done.
 */
export function pgArray(values: string[]): string {
  return `{${values.join(',')}}`;
}

/**
 * Rows for `jsonb_to_recordset(?::jsonb) as r(column type, …)`: many rows of any text in
 * one parameter, quoted by JSON, where `pgArray` would need escaping.
 */
export function pgRecords(rows: object[]): string {
  return JSON.stringify(rows);
}

/**
 * Whether PostgreSQL refused a statement for the values it carried (SQLSTATE class 22, data
 * exception: a value too long, a character it cannot hold, a date out of range; class 23,
 * a constraint) rather than because the database is unavailable. Retrying the same values
 * cannot help; retrying later can help only with the other kind.
 */
export function isRejectedContent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/** Whether PostgreSQL answers at all (the health check). */
export async function pingDatabase(em: EntityManager): Promise<void> {
  await em.getConnection().execute('select 1');
}

function isDeadlock(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '40P01';
}
