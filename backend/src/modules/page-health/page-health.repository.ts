import { pgArray, type Sql } from '../../db/sql.js';
import type { IncidentKind, OpenIncident } from './page-health.schemas.js';

/*
 * The incident rows. PostgreSQL decides whether one opens: the partial unique index
 * "page_incident_open_unique" admits one open incident per page, so of two transactions that
 * find the same page broken at once, one inserts and the other inserts nothing.
 */

/** Opens an incident unless the page has one open; returns its id, or null when it had. */
export async function openIncident(
  sql: Sql,
  page: { tenantId: string; id: string },
  incident: { id: string; kind: IncidentKind },
): Promise<string | null> {
  const rows = await sql.forTenant(page.tenantId)<{ id: string }>(
    `insert into page_incident (id, tenant_id, page_id, reason)
     values (?, :tenant, ?, ?)
     on conflict (page_id) where closed_at is null do nothing
     returning id`,
    [incident.id, page.id, incident.kind],
  );
  return rows[0]?.id ?? null;
}

/** Closes the page's open incident; whether there was one. */
export async function closeIncident(
  sql: Sql,
  page: { tenantId: string; id: string },
): Promise<boolean> {
  const rows = await sql.forTenant(page.tenantId)(
    `update page_incident set closed_at = now(), updated_at = now()
     where tenant_id = :tenant and page_id = ? and closed_at is null
     returning id`,
    [page.id],
  );
  return rows.length > 0;
}

/** The open incidents of these pages, by page id. */
export async function findOpenIncidents(
  sql: Sql,
  tenantId: string,
  pageIds: string[],
): Promise<Map<string, OpenIncident>> {
  if (pageIds.length === 0) return new Map();
  const rows = await sql.forTenant(tenantId)<{
    id: string;
    page_id: string;
    reason: IncidentKind;
    created_at: string | Date;
  }>(
    `select id, page_id, reason, created_at from page_incident
     where tenant_id = :tenant and closed_at is null and page_id = any(?::uuid[])`,
    [pgArray(pageIds)],
  );
  return new Map(
    rows.map((row) => [
      row.page_id,
      { id: row.id, kind: row.reason, openedAt: new Date(row.created_at) },
    ]),
  );
}

/** The tenant's admins: each is mailed once per incident. */
export async function findAdminIds(sql: Sql, tenantId: string): Promise<string[]> {
  const rows = await sql.forTenant(tenantId)<{ id: string }>(
    `select id from app_user where tenant_id = :tenant and role = 'admin' order by id`,
  );
  return rows.map((row) => row.id);
}
