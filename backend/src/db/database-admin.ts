import { Client } from 'pg';

/**
 * Creating and dropping whole databases (tests, the migration generator). Connects to the
 * server's maintenance database, since a database cannot drop itself.
 */
export async function createDatabase(databaseUrl: string): Promise<void> {
  const { serverUrl, name } = splitDatabaseUrl(databaseUrl);
  await withClient(serverUrl, (client) => client.query(`create database "${name}"`));
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const { serverUrl, name } = splitDatabaseUrl(databaseUrl);
  await withClient(serverUrl, (client) =>
    client.query(`drop database if exists "${name}" with (force)`),
  );
}

function splitDatabaseUrl(databaseUrl: string): { serverUrl: string; name: string } {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Unsafe database name: ${name}`);
  url.pathname = '/postgres';
  return { serverUrl: url.toString(), name };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
