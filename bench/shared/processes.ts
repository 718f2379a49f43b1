import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A child process whose output goes to a file (so reading it costs the bench nothing). */
export type Child = { name: string; process: ChildProcess; logFile: string };

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function spawnLogged(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logDir: string,
  niceness = 0,
): Child {
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  try {
    const [command, commandArgs] =
      niceness > 0
        ? ['nice', ['-n', String(niceness), process.execPath, ...args]]
        : [process.execPath, args];
    const child = spawn(command, commandArgs, { env, stdio: ['ignore', fd, fd] });
    return { name, process: child, logFile };
  } finally {
    closeSync(fd);
  }
}

/** `nice` of the worker process in the split roles. */
export const WORKER_NICENESS = 10;

/**
 * The built Omni as production runs it: NODE_ENV=production with fresh secrets, one process
 * (`all`) or the api and the worker apart (`split`).
 */
export function startOmni(options: {
  entry: string;
  roles: 'all' | 'split' | 'api-only';
  port: number;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  graphUrl: string;
  panelDir: string;
  logLevel: string;
  logDir: string;
  nodeArgs: string[];
}): Child[] {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(options.port),
    PUBLIC_URL: `http://127.0.0.1:${options.port}`,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.redisPrefix,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    FACEBOOK_GRAPH_URL: options.graphUrl,
    PANEL_DIR: options.panelDir,
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: options.logLevel,
    // Production refuses to start without a mail server; nothing in a benchmark sends mail,
    // so a port where none listens is enough.
    SMTP_URL: 'smtp://127.0.0.1:1',
  };
  if (options.roles === 'all') {
    return [spawnLogged('omni', [...options.nodeArgs, options.entry, 'all'], env, options.logDir)];
  }
  const api = spawnLogged(
    'omni-api',
    [...options.nodeArgs, options.entry, 'api'],
    env,
    options.logDir,
  );
  if (options.roles === 'api-only') return [api];
  return [
    api,
    // Acknowledging comes first: the backlog can wait, Facebook cannot (compose gives the
    // worker fewer CPU shares for the same reason).
    spawnLogged(
      'omni-worker',
      [...options.nodeArgs, options.entry, 'worker'],
      env,
      options.logDir,
      WORKER_NICENESS,
    ),
  ];
}

/** The baseline server (bare-koa.ts), run through tsx's loader in a process of its own. */
export function startBareKoa(port: number, logDir: string): Child {
  const script = new URL('../ingest/bare-koa.ts', import.meta.url).pathname;
  return spawnLogged(
    'bare-koa',
    ['--import', 'tsx', script, String(port)],
    { PATH: process.env['PATH'], NODE_ENV: 'production' },
    logDir,
  );
}

/** Polls `url` until it answers 200; fails early when a child exits. */
export async function waitUntilReady(url: string, children: Child[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exited = children.find((child) => child.process.exitCode !== null);
    if (exited) {
      throw new Error(
        `${exited.name} exited with code ${exited.process.exitCode}:\n${tail(exited.logFile)}`,
      );
    }
    const ok = await fetch(url)
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
export function stopChild(child: Child, graceMs = 15_000): Promise<number | null> {
  const { process: proc } = child;
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => {
    const killer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', (code) => {
      clearTimeout(killer);
      resolve(code);
    });
    proc.kill('SIGTERM');
  });
}

/** Log lines at warn (40) or above: counted, grouped by message and error type, the last few. */
export function logSummary(child: Child): {
  warnings: number;
  errors: number;
  byKind: Record<string, number>;
  last: string[];
} {
  let warnings = 0;
  let errors = 0;
  const byKind: Record<string, number> = {};
  const notable: string[] = [];
  for (const line of readLog(child.logFile).split('\n')) {
    let entry: { level?: number; msg?: string; err?: { type?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (typeof entry.level !== 'number' || entry.level < 40) continue;
    if (entry.level >= 50) errors += 1;
    else warnings += 1;
    const kind = `${entry.msg ?? '?'}${entry.err?.type ? ` (${entry.err.type})` : ''}`;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    notable.push(line.slice(0, 400));
  }
  return { warnings, errors, byKind, last: notable.slice(-3) };
}

export function tail(logFile: string, lines = 30): string {
  return readLog(logFile).split('\n').slice(-lines).join('\n');
}

function readLog(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8');
  } catch {
    return '';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
