import { http, requestBlob } from './http';
import type { Report } from './types';

export type ReportGroup = Report['groupBy'];

export type ReportQuery = {
  /** ISO instants: `from` inclusive, `to` exclusive. */
  from: string;
  to: string;
  groupBy: ReportGroup;
  departmentId?: string;
  operatorId?: string;
  pageId?: string;
};

function search(query: ReportQuery): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  return params.toString();
}

/** The report's rows and totals (admins and supervisors). */
export function getReport(query: ReportQuery): Promise<Report> {
  return http.get<Report>(`/api/reports?${search(query)}`);
}

/** The same report as CSV, for the browser to save. */
export function downloadReportCsv(query: ReportQuery): Promise<Blob> {
  return requestBlob(`/api/reports.csv?${search(query)}`);
}
