import type { Sql } from '../../db/sql.js';
import type { BusinessHours } from './business-hours.js';

/** The departments' statements that the ORM would spend a query per department on. */
export class DepartmentsRepository {
  constructor(private readonly sql: Sql) {}

  /** How many operators each of these departments has (departments without any are absent). */
  async countOperators(tenantId: string, departmentIds: string[]): Promise<Map<string, number>> {
    if (departmentIds.length === 0) return new Map();
    const rows = await this.sql.forTenant(tenantId)<{ department_id: string; count: string }>(
      `select ud.department_id, count(*) as count from user_department ud
       join department d on d.id = ud.department_id and d.tenant_id = :tenant
       where ud.department_id in (?) group by ud.department_id`,
      [departmentIds],
    );
    return new Map(rows.map((row) => [row.department_id, Number(row.count)]));
  }

  /** The business hours of the tenant's departments that have any. */
  async hoursOf(tenantId: string): Promise<Map<string, BusinessHours>> {
    const rows = await this.sql.forTenant(tenantId)<{ id: string; hours: BusinessHours }>(
      'select id, hours from department where tenant_id = :tenant and hours is not null',
    );
    return new Map(rows.map((row) => [row.id, row.hours]));
  }
}
