import type { Sql } from '../../db/sql.js';

/** Deletes a tenant's row, which cascades to everything it holds; in the caller's transaction. */
export async function deleteTenantRow(sql: Sql, tenantId: string): Promise<void> {
  await sql.forTenant(tenantId)('delete from tenant where id = :tenant');
}
