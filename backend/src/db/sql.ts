import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Plain SQL inside one transaction, for the set-based hot paths (the dispatcher, inbound
 * processing) where a statement per batch beats the unit of work's statement per row.
 * Placeholders are `?`; rows come back as the ORM's driver parses them (timestamps as text).
 */
export type Sql = <Row = Record<string, unknown>>(
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

/** Plain SQL in `em`'s transaction (inside `em.transactional`, with the callback's em). */
export function sqlIn(em: EntityManager): Sql {
  const connection = em.getConnection();
  return (text, params = []) => connection.execute(text, params, 'all', em.getTransactionContext());
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

function isDeadlock(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '40P01';
}
