import type { Sql } from '../../db/sql.js';

/** What a report's rows are grouped by. */
export const REPORT_GROUPS = ['day', 'operator', 'department', 'page'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

/** The moves that give a chat to an operator (as /api/queue/stats counts an assignment). */
const ASSIGNMENT_TYPES = `('assigned', 'taken', 'transferred', 'reopened')`;

/**
 * Each group's key: the day in the tenant's time zone (bound as the first parameter), or the
 * episode's operator, department or page. Fixed expressions, never built from input.
 */
const GROUP_KEYS: Record<ReportGroup, string> = {
  day: `to_char(e.opened_at at time zone ?, 'YYYY-MM-DD')`,
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

/** One group's sums as PostgreSQL gives them (text; null where nothing was counted). */
export type ReportSums = {
  /** The group's key; null for the totals row and for episodes without operator/department. */
  key: string | null;
  is_totals: boolean;
  conversations: string;
  assigned_in_time: string;
  assignment_judged: string;
  answered_in_time: string;
  answer_judged: string;
  average_wait: string | null;
  average_first_response: string | null;
  average_handling: string | null;
  closed_while_waiting: string;
  window_expired_unanswered: string;
  csat_average: string | null;
  csat_responses: string;
  csat_requests: string;
};

/** The reports' reads of `report_episode` (kept by the triggers of migration 20261203171000). */
export class ReportsRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Every group's sums and the totals, in one scan of the tenant's episodes of the period
   * (`report_episode_tenant_opened_at_index`). The shares' rules are /api/queue/stats',
   * applied to the queue entry that opened each episode: an entry is judged once it was
   * assigned (answered) or waited longer than the target; one closed sooner is not.
   */
  sums(
    tenantId: string,
    group: ReportGroup,
    timezone: string,
    scope: ReportScope,
    now: Date,
    targets: { assignedWithinSeconds: number; answeredWithinSeconds: number },
  ): Promise<ReportSums[]> {
    return this.sql.forTenant(tenantId)<ReportSums>(
      `with episode as (
         select ${GROUP_KEYS[group]} as key, e.*,
           e.entry_next_type in ${ASSIGNMENT_TYPES} as is_assigned,
           coalesce(e.entry_next_at, ?::timestamptz) - e.opened_at as waited,
           coalesce(e.closed_at, ?::timestamptz) - e.opened_at as unanswered_for,
           e.window_expired_unanswered or (e.unanswered_since is not null
             and e.last_visitor_at + case when p.human_agent_enabled then interval '7 days'
               else interval '24 hours' end <= ?::timestamptz) as has_window_expired
         from report_episode e
         join facebook_page p on p.id = e.page_id
         where e.tenant_id = :tenant and e.opened_at >= ? and e.opened_at < ?
           and (?::uuid[] is null or e.department_id = any(?::uuid[]))
           and (?::uuid is null or e.operator_id = ?::uuid)
           and (?::uuid is null or e.page_id = ?::uuid)
       )
       select key, grouping(key) = 1 as is_totals,
         count(*) as conversations,
         count(*) filter (where is_queued and is_assigned
           and waited <= make_interval(secs => ?)) as assigned_in_time,
         count(*) filter (where is_queued
           and (is_assigned or waited > make_interval(secs => ?))) as assignment_judged,
         count(*) filter (where is_queued
           and first_reply_at - opened_at <= make_interval(secs => ?)) as answered_in_time,
         count(*) filter (where is_queued and (first_reply_at is not null
           or unanswered_for > make_interval(secs => ?))) as answer_judged,
         avg(extract(epoch from waited)) filter (where is_queued and is_assigned) as average_wait,
         avg(extract(epoch from first_reply_at - opened_at)) filter (where is_queued)
           as average_first_response,
         avg(extract(epoch from closed_at - first_assigned_at)) as average_handling,
         count(*) filter (where closed_while_waiting) as closed_while_waiting,
         count(*) filter (where has_window_expired) as window_expired_unanswered,
         avg(csat_score) as csat_average,
         count(csat_score) as csat_responses,
         count(csat_requested_at) as csat_requests
       from episode
       group by grouping sets ((key), ())
       order by is_totals, key`,
      [
        ...(group === 'day' ? [timezone] : []),
        now,
        now,
        now,
        scope.from,
        scope.to,
        scope.departmentIds,
        scope.departmentIds,
        scope.operatorId,
        scope.operatorId,
        scope.pageId,
        scope.pageId,
        targets.assignedWithinSeconds,
        targets.assignedWithinSeconds,
        targets.answeredWithinSeconds,
        targets.answeredWithinSeconds,
      ],
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
