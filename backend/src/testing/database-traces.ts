import type { TestApi } from './test-api.js';

/** A statement on the test api's database, outside any tenant's scope. */
export async function queryDatabase<Row = Record<string, unknown>>(
  api: TestApi,
  text: string,
  params: unknown[] = [],
): Promise<Row[]> {
  return api.orm.em.fork().getConnection().execute<Row[]>(text, params);
}

/**
 * The tables (any column: text, json, arrays, bytes) whose rows anywhere contain `needle`:
 * what proves that a deletion left nothing of someone behind.
 */
export async function tablesHolding(api: TestApi, needle: string): Promise<string[]> {
  const tables = await queryDatabase<{ name: string }>(
    api,
    `select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const holding: string[] = [];
  for (const { name } of tables) {
    // A bytea column (a delivery's raw body) shows as hex in the row's text.
    const [row] = await queryDatabase<{ hits: number }>(
      api,
      `select count(*)::int as hits from "${name}" t
       where strpos(t::text, ?) > 0 or strpos(t::text, ?) > 0`,
      [needle, Buffer.from(needle).toString('hex')],
    );
    if (row!.hits > 0) holding.push(name);
  }
  return holding;
}
