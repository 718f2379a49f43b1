import type { Sql } from '../../db/sql.js';

/** What a report's rows are grouped by. */
export const REPORT_GROUPS = ['day', 'operator', 'department', 'page'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

/**
 * Days are summed from 15-minute buckets: every time zone in use today is a whole number of
 * quarter hours from UTC (Kolkata +5:30, Kathmandu +5:45), so a bucket never straddles a
 * local midnight, and converting ~8,640 buckets of 90 days to local days costs nothing,
 * where converting each of a million episodes cost a fifth of the report.
 */
const BUCKET_SECONDS = 900;

/** The moves that give a chat to an operator (as /api/queue/stats counts an assignment). */
const ASSIGNMENT_TYPES = `('assigned', 'taken', 'transferred', 'reopened')`;

/**
 * Each group's key: the episode's operator, department or page, or for days the 15-minute
 * UTC bucket it opened in (turned into the tenant's local day afterwards, see `sums`). Fixed
 * expressions, never built from input.
 */
const GROUP_KEYS: Record<ReportGroup, string> = {
  day: `floor(date_part('epoch', e.opened_at) / ${BUCKET_SECONDS})`,
  operator: 'e.operator_id::text',
  department: 'e.department_id::text',
  page: 'e.page_id::text',
};

/** The episodes a report covers: opened in [from, to), narrowed by the filters (null: any). */
export type ReportScope = {
  from: Date;
  to: Date;
  /** PostgreSQL array literal of the departments counted; null: all of them. */
  departmentIds: string | null;
  operatorId: string | null;
  pageId: string | null;
};

/**
 * One group's sums and counts as PostgreSQL gives them (text). Sums, not averages, so the
 * totals are the groups' sums added up: the statement needs no grouping sets, which would
 * keep PostgreSQL from aggregating in parallel workers.
 */
export type ReportSums = {
  /** The group's key; null for episodes without operator or department. */
  key: string | null;
  conversations: string;
  assigned_in_time: string;
  assignment_judged: string;
  answered_in_time: string;
  answer_judged: string;
  wait_seconds: string | null;
  waits: string;
  first_response_seconds: string | null;
  first_responses: string;
  handling_seconds: string | null;
  handled: string;
  closed_while_waiting: string;
  window_expired_unanswered: string;
  csat_score_sum: string | null;
  csat_responses: string;
  csat_requests: string;
};

/** Every column of ReportSums but the key: a day's figures are its buckets' added up. */
const SUM_COLUMNS = [
  'conversations',
  'assigned_in_time',
  'assignment_judged',
  'answered_in_time',
  'answer_judged',
  'wait_seconds',
  'waits',
  'first_response_seconds',
  'first_responses',
  'handling_seconds',
  'handled',
  'closed_while_waiting',
  'window_expired_unanswered',
  'csat_score_sum',
  'csat_responses',
  'csat_requests',
] as const satisfies readonly Exclude<keyof ReportSums, 'key'>[];

/** The reports' reads of `report_episode` (kept by the triggers of migration 20261203171000). */
export class ReportsRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Every group's sums, in one scan of the tenant's episodes of the period (parallel on a
   * long period). The shares' rules are /api/queue/stats', applied to the queue entry that
   * opened each episode: an entry is judged once it was assigned (answered) or waited longer
   * than the target; one closed sooner is not. Durations are `date_part` doubles: numeric
   * `extract` sums are several times slower over a million rows.
   */
  sums(
    tenantId: string,
    group: ReportGroup,
    timezone: string,
    scope: ReportScope,
    now: Date,
    targets: { assignedWithinSeconds: number; answeredWithinSeconds: number },
  ): Promise<ReportSums[]> {
    const isAssigned = `e.entry_next_type in ${ASSIGNMENT_TYPES}`;
    const grouped = `select ${GROUP_KEYS[group]} as key,
         count(*) as conversations,
         count(*) filter (where e.is_queued and ${isAssigned}
           and e.entry_next_at <= e.opened_at + make_interval(secs => ?)) as assigned_in_time,
         count(*) filter (where e.is_queued and (${isAssigned}
           or coalesce(e.entry_next_at, ?::timestamptz) > e.opened_at + make_interval(secs => ?)))
           as assignment_judged,
         count(*) filter (where e.is_queued
           and e.first_reply_at <= e.opened_at + make_interval(secs => ?)) as answered_in_time,
         count(*) filter (where e.is_queued and (e.first_reply_at is not null
           or coalesce(e.closed_at, ?::timestamptz) > e.opened_at + make_interval(secs => ?)))
           as answer_judged,
         sum(date_part('epoch', e.entry_next_at - e.opened_at))
           filter (where e.is_queued and ${isAssigned}) as wait_seconds,
         count(*) filter (where e.is_queued and ${isAssigned}) as waits,
         sum(date_part('epoch', e.first_reply_at - e.opened_at)) filter (where e.is_queued)
           as first_response_seconds,
         count(e.first_reply_at) filter (where e.is_queued) as first_responses,
         sum(date_part('epoch', e.closed_at - e.first_assigned_at)) as handling_seconds,
         count(e.closed_at - e.first_assigned_at) as handled,
         count(*) filter (where e.closed_while_waiting) as closed_while_waiting,
         count(*) filter (where e.window_expired_unanswered or (e.unanswered_since is not null
           and e.last_visitor_at + case when p.human_agent_enabled then interval '7 days'
             else interval '24 hours' end <= ?::timestamptz)) as window_expired_unanswered,
         sum(e.csat_score) as csat_score_sum,
         count(e.csat_score) as csat_responses,
         count(e.csat_requested_at) as csat_requests
       from report_episode e
       join facebook_page p on p.id = e.page_id
       where e.tenant_id = :tenant and e.opened_at >= ? and e.opened_at < ?
         and (?::uuid[] is null or e.department_id = any(?::uuid[]))
         and (?::uuid is null or e.operator_id = ?::uuid)
         and (?::uuid is null or e.page_id = ?::uuid)
       group by 1`;
    const parameters = [
      targets.assignedWithinSeconds,
      now,
      targets.assignedWithinSeconds,
      targets.answeredWithinSeconds,
      now,
      targets.answeredWithinSeconds,
      now,
      scope.from,
      scope.to,
      scope.departmentIds,
      scope.departmentIds,
      scope.operatorId,
      scope.operatorId,
      scope.pageId,
      scope.pageId,
    ];
    const query = this.sql.forTenant(tenantId)<ReportSums>;
    if (group !== 'day') return query(`${grouped} order by 1`, parameters);
    return query(
      `select to_char(to_timestamp(b.key * ${BUCKET_SECONDS}) at time zone ?, 'YYYY-MM-DD')
           as key,
         ${SUM_COLUMNS.map((column) => `sum(b.${column}) as ${column}`).join(', ')}
       from (${grouped}) b
       group by 1
       order by 1`,
      [timezone, ...parameters],
    );
  }

  /** The names of the groups' operators, departments or pages (deleted ones are absent). */
  async labels(tenantId: string, group: ReportGroup, ids: string[]): Promise<Map<string, string>> {
    if (group === 'day' || ids.length === 0) return new Map();
    const table = { operator: 'app_user', department: 'department', page: 'facebook_page' }[group];
    const rows = await this.sql.forTenant(tenantId)<{ id: string; name: string }>(
      `select id, name from ${table} where tenant_id = :tenant and id = any(?::uuid[])`,
      [`{${ids.join(',')}}`],
    );
    return new Map(rows.map((row) => [row.id, row.name]));
  }
}
