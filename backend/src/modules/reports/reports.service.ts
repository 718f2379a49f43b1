import type { EntityManager } from '@mikro-orm/postgresql';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { validate as isUuid } from 'uuid';
import { ValidationError } from '../../errors.js';
import { pgArray, sqlIn } from '../../db/sql.js';
import type { Actor } from '../auth/actor.js';
import { loadViewer } from '../conversations/conversation-visibility.js';
import {
  ANSWERED_WITHIN_SECONDS,
  ASSIGNED_WITHIN_SECONDS,
} from '../routing/queue-stats.service.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { ReportsRepository, type ReportGroup, type ReportSums } from './reports.repository.js';
import type { Report, ReportQuery, ReportRow } from './reports.schemas.js';

/** The longest period one report may cover (a quarter and a few days). */
export const MAX_REPORT_DAYS = 93;

/** The CSV's columns, in the JSON rows' field names (a script reads either the same way). */
const CSV_COLUMNS = [
  'key',
  'label',
  'conversations',
  'assignedWithin20s',
  'answeredWithin60s',
  'avgWaitSeconds',
  'avgFirstResponseSeconds',
  'avgHandlingSeconds',
  'closedWhileWaiting',
  'windowExpiredUnanswered',
  'csatAverage',
  'csatResponses',
  'csatResponseRate',
] as const satisfies readonly (keyof ReportRow)[];

/** The label of the CSV's totals line (its key is empty). */
const TOTALS_LABEL = 'Total';

/**
 * Historical reports: the conversations opened in a period, grouped by day (in the tenant's
 * time zone), operator, department or page, with their service figures. A conversation's
 * figures belong to the episode (open→close stretch) that opened in the period, wherever its
 * outcome fell, so a row never changes its count as later days come; the operator is the
 * one who served the episode (the last it was given to), the department the one it entered.
 */
export class ReportsService {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * An admin's report covers the tenant; a supervisor's only their departments (another
   * department's filter is refused, as queue figures refuse it).
   */
  async over(actor: Actor, query: ReportQuery): Promise<Report> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (!(from < to)) {
      throw new ValidationError(
        { to: 'The period must end after it starts.' },
        undefined,
        'INVALID_PERIOD',
      );
    }
    if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000) {
      throw new ValidationError(
        { to: `A report spans at most ${MAX_REPORT_DAYS} days.` },
        undefined,
        'PERIOD_TOO_LONG',
      );
    }
    for (const field of ['departmentId', 'operatorId', 'pageId'] as const) {
      const id = query[field];
      if (id !== undefined && !isUuid(id)) throw new ValidationError({ [field]: 'Unknown id.' });
    }
    const scope = actor.role === 'admin' ? null : (await loadViewer(this.em, actor)).departmentIds;
    const department = query.departmentId ?? null;
    if (department !== null && scope !== null && !scope.includes(department)) {
      throw new ValidationError({ departmentId: 'This is not a department of yours.' });
    }
    const departmentIds = department !== null ? [department] : scope;
    const tenant = await this.em.findOneOrFail(Tenant, actor.tenantId);
    const group = query.groupBy;
    const repository = new ReportsRepository(sqlIn(this.em));
    const sums = await repository.sums(
      actor.tenantId,
      group,
      tenant.timezone,
      {
        from,
        to,
        departmentIds: departmentIds && pgArray([...departmentIds]),
        operatorId: query.operatorId ?? null,
        pageId: query.pageId ?? null,
      },
      this.clock(),
      {
        assignedWithinSeconds: ASSIGNED_WITHIN_SECONDS,
        answeredWithinSeconds: ANSWERED_WITHIN_SECONDS,
      },
    );
    const grouped = sums;
    const ids = grouped.flatMap((row) => (row.key === null ? [] : [row.key]));
    const names = await repository.labels(actor.tenantId, group, ids);
    const rows = grouped.map((row) => ({
      key: row.key,
      label: labelOf(group, row.key, names),
      ...toFigures(row),
    }));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy: group,
      timezone: tenant.timezone,
      rows: group === 'day' ? withEveryDay(rows, from, to, tenant.timezone) : sortByLabel(rows),
      totals: toFigures(addedUp(sums)),
    };
  }

  /** The same report as CSV (RFC 4180, UTF-8, header row): its rows, then the totals. */
  async csvOver(actor: Actor, query: ReportQuery): Promise<string> {
    const report = await this.over(actor, query);
    const records = [...report.rows, { key: null, label: TOTALS_LABEL, ...report.totals }];
    return stringify(
      records.map((record) => CSV_COLUMNS.map((column) => record[column])),
      { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows' },
    );
  }
}

type Figures = Omit<ReportRow, 'key' | 'label'>;

/** The totals: every group's sums and counts added up. */
function addedUp(rows: ReportSums[]): ReportSums {
  const total = (pick: (row: ReportSums) => string | null) =>
    String(rows.reduce((sum, row) => sum + Number(pick(row) ?? 0), 0));
  return {
    key: null,
    conversations: total((row) => row.conversations),
    assigned_in_time: total((row) => row.assigned_in_time),
    assignment_judged: total((row) => row.assignment_judged),
    answered_in_time: total((row) => row.answered_in_time),
    answer_judged: total((row) => row.answer_judged),
    wait_seconds: total((row) => row.wait_seconds),
    waits: total((row) => row.waits),
    first_response_seconds: total((row) => row.first_response_seconds),
    first_responses: total((row) => row.first_responses),
    handling_seconds: total((row) => row.handling_seconds),
    handled: total((row) => row.handled),
    closed_while_waiting: total((row) => row.closed_while_waiting),
    window_expired_unanswered: total((row) => row.window_expired_unanswered),
    csat_score_sum: total((row) => row.csat_score_sum),
    csat_responses: total((row) => row.csat_responses),
    csat_requests: total((row) => row.csat_requests),
  };
}

function toFigures(row: ReportSums | null): Figures {
  const count = (value: string | null | undefined) => Number(value ?? 0);
  /** sum / count, rounded; null when nothing was counted. */
  const average = (sum: string | null | undefined, counted: string | undefined, places: number) =>
    count(counted) === 0
      ? null
      : Math.round((count(sum) / count(counted)) * 10 ** places) / 10 ** places;
  const share = (part: string | undefined, whole: string | undefined) =>
    count(whole) === 0 ? null : Math.round((count(part) / count(whole)) * 1000) / 1000;
  return {
    conversations: count(row?.conversations),
    assignedWithin20s: share(row?.assigned_in_time, row?.assignment_judged),
    answeredWithin60s: share(row?.answered_in_time, row?.answer_judged),
    avgWaitSeconds: average(row?.wait_seconds, row?.waits, 1),
    avgFirstResponseSeconds: average(row?.first_response_seconds, row?.first_responses, 1),
    avgHandlingSeconds: average(row?.handling_seconds, row?.handled, 1),
    closedWhileWaiting: count(row?.closed_while_waiting),
    windowExpiredUnanswered: count(row?.window_expired_unanswered),
    csatAverage: average(row?.csat_score_sum, row?.csat_responses, 2),
    csatResponses: count(row?.csat_responses),
    csatResponseRate: share(row?.csat_responses, row?.csat_requests),
  };
}

/** A deleted operator, department or page keeps its rows, under a plain name. */
function labelOf(group: ReportGroup, key: string | null, names: Map<string, string>): string {
  if (group === 'day') return key ?? '';
  if (key === null) return group === 'operator' ? 'No operator' : 'No department';
  return names.get(key) ?? `Deleted ${group}`;
}

function sortByLabel(rows: ReportRow[]): ReportRow[] {
  return [...rows].sort((a, b) => a.label.localeCompare(b.label));
}

/** Days of the period without conversations are rows of zeros, so a chart has no gaps. */
function withEveryDay(rows: ReportRow[], from: Date, to: Date, timezone: string): ReportRow[] {
  const byDay = new Map(rows.map((row) => [row.key, row]));
  const days: ReportRow[] = [];
  const last = DateTime.fromMillis(to.getTime() - 1, { zone: timezone }).startOf('day');
  for (
    let day = DateTime.fromJSDate(from, { zone: timezone }).startOf('day');
    day <= last;
    day = day.plus({ days: 1 })
  ) {
    const key = day.toISODate()!;
    days.push(byDay.get(key) ?? { key, label: key, ...toFigures(null) });
  }
  return days;
}
