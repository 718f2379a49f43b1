import { http } from './http';
import type { AuditAction, AuditLogPage } from './types';

export type AuditLogQuery = {
  /** The `nextCursor` of the page before. */
  cursor?: string;
  actorId?: string;
  action?: AuditAction;
};

/** A page of the audit log, newest first (admins only). */
export function listAuditLog(query: AuditLogQuery = {}): Promise<AuditLogPage> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  return http.get<AuditLogPage>(`/api/audit-log${search ? `?${search}` : ''}`);
}
