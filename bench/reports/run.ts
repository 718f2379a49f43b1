/**
 * Omni's reports benchmark: how long GET /api/reports takes for a 90-day period over a
 * million conversations, for each groupBy.
 *
 *   npm run build -w backend        # once: the benchmark runs backend/dist, as production does
 *   npm run bench:reports           # = npx tsx bench/reports/run.ts; --help for the options
 *
 * What it does, all on 127.0.0.1, and undone at the end even when it fails:
 *  1. a private PostgreSQL database and Redis key prefix (createTestEnvironment, migrated),
 *     the built Omni and the fake Graph API; a tenant with 3 departments, 3 pages and 20
 *     operators, through the API;
 *  2. `--conversations` conversations spread over `--days` days, written with SQL
 *     (generate_series) in the order Omni writes them: the contact and the queued
 *     conversation with its "queued" event and the visitor's message, then the assignment,
 *     the operator's reply, the close (a few closed while waiting, a few never answered) and
 *     a survey answer for a third. The report_episode triggers fold every line in, as in
 *     production, so the time this takes is also their cost;
 *  3. ANALYZE, then `--runs` timed requests of the last 90 days per groupBy, through HTTP
 *     with an admin's token (the first is a warm-up, not counted).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type * as Testing from '@omni/backend/testing';
import { startBenchOmni } from '../shared/bench-omni.js';
import { api, positiveInteger } from '../shared/omni-client.js';
import { distribution, type Distribution } from '../shared/stats.js';

const HELP = `Usage: npx tsx bench/reports/run.ts [options]   (or: npm run bench:reports -- [options])

  --conversations <n>  conversations generated        BENCH_CONVERSATIONS  1000000
  --days <n>           days they are spread over      BENCH_DAYS           95
  --runs <n>           timed requests per groupBy     BENCH_RUNS           5
  --keep               leave the database (its URL is printed), to study the queries with psql
  --help

PostgreSQL and Redis: TEST_DATABASE_SERVER_URL (postgres://postgres@127.0.0.1:5432) and
TEST_REDIS_URL (redis://127.0.0.1:6379), as in the test suites.`;

const root = fileURLToPath(new URL('../..', import.meta.url));
const TARGET_MS = 2000;
const GROUPS = ['day', 'operator', 'department', 'page'] as const;
/** Conversations written per statement (progress shows between them). */
const CHUNK = 100_000;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      conversations: { type: 'string', default: process.env['BENCH_CONVERSATIONS'] ?? '1000000' },
      days: { type: 'string', default: process.env['BENCH_DAYS'] ?? '95' },
      runs: { type: 'string', default: process.env['BENCH_RUNS'] ?? '5' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  return {
    conversations: positiveInteger('conversations', values.conversations),
    days: positiveInteger('days', values.days),
    runs: positiveInteger('runs', values.runs),
    keep: values.keep,
  };
}

/**
 * One chunk of conversations, numbered [first, last]: each opens at a point spread evenly
 * over the period (ending now), waits 5–44 s, gets one of the operators, is answered 10–99 s
 * later and closed 2–31 minutes after that. Every 50th is closed while waiting instead, every
 * 40th is never answered (its window expires), every third answers the survey.
 */
const GENERATE = `
  with series as (
    select n, uuid_generate_v7_like(n, 1) as contact_id, uuid_generate_v7_like(n, 2) as id,
      $5::timestamptz - ($6::float8 * (1 - (n - 1)::float8 / $7)) * interval '1 day' as opened_at
    from generate_series($3::int, $4::int) n where $2::int is null
  ), shaped as (
    select s.*, ($8::uuid[])[1 + n % 3] as page_id, ($9::uuid[])[1 + n % 3] as department_id,
      ($10::uuid[])[1 + n % array_length($10::uuid[], 1)] as operator_id,
      n % 50 = 0 as is_abandoned, n % 40 = 0 as is_unanswered,
      interval '1 second' * (5 + n % 40) as wait,
      interval '1 second' * (10 + n % 90) as to_reply,
      interval '1 minute' * (2 + n % 30) as handling
    from series s
  ), contacts as (
    insert into contact (id, tenant_id, page_id, psid)
    select contact_id, $1, page_id, 'psid-' || n from shaped
  ), conversations as (
    insert into conversation (id, tenant_id, contact_id, page_id, department_id, status,
      queued_at, closed_at, last_message_at)
    select id, $1, contact_id, page_id, department_id, 'closed', opened_at,
      opened_at + wait + to_reply + handling, opened_at from shaped
  )
  select count(*) from shaped`;

async function main(): Promise<void> {
  const options = parseOptions();
  const testing = (await import('@omni/backend/testing')) as typeof Testing;
  const databaseServerUrl =
    process.env['TEST_DATABASE_SERVER_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
  const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((error) => console.error(error));
  };
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    const { environment, graph, baseUrl } = await startBenchOmni({
      testing,
      label: 'reports',
      databaseServerUrl,
      redisUrl,
      entry: join(root, 'backend/dist/main.js'),
      roles: 'all',
      keepDatabase: options.keep,
      cleanups,
    });
    const admin = await api<{ token: string; tenant: { id: string } }>(
      baseUrl,
      'POST',
      '/api/auth/signup',
      {
        tenantName: 'Reports bench',
        name: 'Admin',
        email: `admin-${randomBytes(4).toString('hex')}@bench.test`,
        password: 'bench password',
      },
    );
    const departmentIds: string[] = [];
    const pageIds: string[] = [];
    for (const name of ['Sales', 'Support', 'Billing']) {
      const department = await api<{ id: string }>(
        baseUrl,
        'POST',
        '/api/departments',
        { name },
        admin.token,
      );
      departmentIds.push(department.id);
      const fakePage = testing.registerRandomPage(graph);
      const page = await api<{ id: string }>(
        baseUrl,
        'POST',
        '/api/channels/facebook',
        {
          name: `${name} page`,
          accessToken: fakePage.accessToken,
          appSecret: fakePage.appSecret,
          departmentId: department.id,
        },
        admin.token,
      );
      pageIds.push(page.id);
    }
    const operatorIds: string[] = [];
    for (let index = 0; index < 20; index++) {
      const operator = await api<{ id: string }>(
        baseUrl,
        'POST',
        '/api/operators',
        {
          email: `operator-${index}-${randomBytes(3).toString('hex')}@bench.test`,
          password: 'bench password',
          name: `Operator ${index + 1}`,
          role: 'operator',
          departmentIds,
          maxChats: 10,
        },
        admin.token,
      );
      operatorIds.push(operator.id);
    }

    const client = new pg.Client({ connectionString: environment.databaseUrl });
    await client.connect();
    cleanups.push(() => client.end());
    const now = new Date();
    const generatingStartedAt = performance.now();
    await generate(client, options, {
      tenantId: admin.tenant.id,
      now,
      pageIds,
      departmentIds,
      operatorIds,
    });
    const generatingSeconds = (performance.now() - generatingStartedAt) / 1000;
    const [sizes] = (
      await client.query<{ episodes: string; events: string; messages: string }>(
        `select (select count(*) from report_episode) as episodes,
           (select count(*) from conversation_event) as events,
           (select count(*) from message) as messages`,
      )
    ).rows;
    console.log(
      `Generated in ${generatingSeconds.toFixed(0)} s: ${sizes!.episodes} episodes, ${sizes!.events} events, ${sizes!.messages} messages.`,
    );
    await client.query('vacuum analyze');

    const to = now.toISOString();
    const from = new Date(now.getTime() - 90 * 86_400_000).toISOString();
    const timings: Record<string, Distribution & { rows: number; conversations: number }> = {};
    for (const groupBy of GROUPS) {
      const durations: number[] = [];
      let rows = 0;
      let conversations = 0;
      for (let run = 0; run <= options.runs; run++) {
        const startedAt = performance.now();
        const report = await api<{ rows: unknown[]; totals: { conversations: number } }>(
          baseUrl,
          'GET',
          `/api/reports?from=${from}&to=${to}&groupBy=${groupBy}`,
          undefined,
          admin.token,
        );
        if (run > 0) durations.push(performance.now() - startedAt);
        rows = report.rows.length;
        conversations = report.totals.conversations;
      }
      timings[groupBy] = { ...distribution(durations), rows, conversations };
      console.log(
        `groupBy=${groupBy}: ${rows} rows, ${conversations} conversations; ` +
          `median ${timings[groupBy].p50?.toFixed(0)} ms, max ${timings[groupBy].max?.toFixed(0)} ms`,
      );
    }
    const worst = Math.max(...Object.values(timings).map((timing) => timing.max ?? Infinity));
    console.log(
      worst < TARGET_MS ? `PASS: every report under ${TARGET_MS} ms` : `FAIL: ${worst} ms`,
    );

    const directory = join(root, 'bench/reports/results');
    mkdirSync(directory, { recursive: true });
    const file = join(directory, `${now.toISOString().replace(/[:.]/g, '-').slice(0, 19)}Z.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          options,
          machine: { cpus: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30) },
          generatingSeconds: Math.round(generatingSeconds),
          sizes,
          periodDays: 90,
          timingsMs: timings,
          targetMs: TARGET_MS,
        },
        null,
        2,
      ),
    );
    console.log(`Results: ${file}`);
  } finally {
    await cleanUp();
  }
}

async function generate(
  client: pg.Client,
  options: { conversations: number; days: number },
  setting: {
    tenantId: string;
    now: Date;
    pageIds: string[];
    departmentIds: string[];
    operatorIds: string[];
  },
): Promise<void> {
  await client.query(`create or replace function pg_temp.bench_id(n int, part int) returns uuid
    language sql immutable as $$
      select (lpad(to_hex(part), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid
    $$`);
  const sql = (text: string) => text.replaceAll('uuid_generate_v7_like', 'pg_temp.bench_id');
  for (let first = 1; first <= options.conversations; first += CHUNK) {
    const last = Math.min(first + CHUNK - 1, options.conversations);
    const parameters = [
      setting.tenantId,
      null,
      first,
      last,
      setting.now,
      options.days,
      options.conversations,
      setting.pageIds,
      setting.departmentIds,
      setting.operatorIds,
    ];
    await client.query('begin');
    await client.query(sql(GENERATE), parameters);
    // The lines, in the order Omni writes them, so the triggers fold them as they would.
    const lines = sql(`
      with series as (
        select n, pg_temp.bench_id(n, 2) as conversation_id,
          $5::timestamptz - ($6::float8 * (1 - (n - 1)::float8 / $7)) * interval '1 day' as opened_at,
          ($8::uuid[])[1 + n % 3] as page_id, ($9::uuid[])[1 + n % 3] as department_id,
          ($10::uuid[])[1 + n % array_length($10::uuid[], 1)] as operator_id,
          n % 50 = 0 as is_abandoned, n % 40 = 0 as is_unanswered,
          interval '1 second' * (5 + n % 40) as wait,
          interval '1 second' * (10 + n % 90) as to_reply,
          interval '1 minute' * (2 + n % 30) as handling
        from generate_series($3::int, $4::int) n
      )`);
    await client.query(
      `${lines} insert into conversation_event (id, tenant_id, conversation_id, type, reason,
         occurred_at, department_id)
       select pg_temp.bench_id(n, 3), $1, conversation_id, 'queued', 'new_conversation',
         opened_at, department_id from series where $2::int is null`,
      parameters,
    );
    await client.query(
      `${lines} insert into message (id, tenant_id, conversation_id, page_id, direction, source,
         kind, text, dedup_key, occurred_at)
       select pg_temp.bench_id(n, 4), $1, conversation_id, page_id, 'in', 'visitor', 'text',
         'Hello, I have a question', 'in-' || n, opened_at from series where $2::int is null`,
      parameters,
    );
    await client.query(
      `${lines} insert into conversation_event (id, tenant_id, conversation_id, type, reason,
         occurred_at, operator_id, operator_name, department_id)
       select pg_temp.bench_id(n, 5), $1, conversation_id, 'assigned', 'automatic',
         opened_at + wait, operator_id, 'Operator', department_id
       from series where $2::int is null and not is_abandoned`,
      parameters,
    );
    await client.query(
      `${lines} insert into message (id, tenant_id, conversation_id, page_id, direction, source,
         kind, text, dedup_key, occurred_at, operator_id, status)
       select pg_temp.bench_id(n, 6), $1, conversation_id, page_id, 'out', 'operator', 'text',
         'Hi! Let me check.', 'out-' || n, opened_at + wait + to_reply, operator_id, 'delivered'
       from series where $2::int is null and not is_abandoned and not is_unanswered`,
      parameters,
    );
    await client.query(
      `${lines} insert into conversation_event (id, tenant_id, conversation_id, type, reason,
         occurred_at, operator_id, operator_name, department_id)
       select pg_temp.bench_id(n, 7), $1, conversation_id, 'closed', 'manual',
         case when is_abandoned then opened_at + wait else opened_at + wait + to_reply + handling end,
         case when is_abandoned then null else operator_id end, null, department_id
       from series where $2::int is null`,
      parameters,
    );
    await client.query(
      `${lines} update conversation c set
         csat_requested_at = s.opened_at + s.wait + s.to_reply + s.handling,
         csat_score = 1 + s.n % 5,
         csat_answered_at = s.opened_at + s.wait + s.to_reply + s.handling + interval '2 minutes'
       from series s where $2::int is null and c.tenant_id = $1 and c.id = s.conversation_id
         and s.n % 3 = 0
         and not s.is_abandoned`,
      parameters,
    );
    await client.query('commit');
    console.log(`  ${last} / ${options.conversations} conversations`);
  }
}

await main();
