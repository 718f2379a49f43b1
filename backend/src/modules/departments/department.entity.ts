import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import type { BusinessHours } from './business-hours.js';

/**
 * A group of operators; a Facebook page routes its chats to one department or to none.
 * Membership is owned by the user (User.departments): a department does not load its people.
 */
export class Department extends TenantOwnedEntity {
  /** Null: no hours set, always open (business-hours.ts). */
  hours: BusinessHours | null = null;

  constructor(
    tenant: Tenant,
    public name: string,
  ) {
    super(tenant);
  }
}

export const DepartmentSchema = new EntitySchema<Department, TenantOwnedEntity>({
  class: Department,
  extends: 'TenantOwnedEntity',
  properties: {
    name: { type: 'string', length: 120 },
    hours: { type: 'json', nullable: true },
  },
  indexes: [
    {
      name: 'department_tenant_name_unique',
      expression:
        'create unique index "department_tenant_name_unique" on "department" ("tenant_id", lower("name"))',
    },
  ],
});
