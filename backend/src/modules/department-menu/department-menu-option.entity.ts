import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Department } from '../departments/department.entity.js';
import type { FacebookPage } from '../facebook/facebook-page.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

/**
 * One quick reply of a page's department menu: the title the visitor taps and the
 * department it routes the new conversation to. A row of its own (not JSON on the page) so
 * that deleting a department deletes the options pointing to it, by foreign key.
 */
export class DepartmentMenuOption extends TenantOwnedEntity {
  constructor(
    tenant: Tenant,
    public page: FacebookPage,
    public department: Department,
    /** 1–20 characters: Messenger's limit for a quick reply's title. */
    public title: string,
    /** The option's place in the menu, from 0. */
    public position: number,
  ) {
    super(tenant);
  }
}

export const DepartmentMenuOptionSchema = new EntitySchema<DepartmentMenuOption, TenantOwnedEntity>(
  {
    class: DepartmentMenuOption,
    extends: 'TenantOwnedEntity',
    properties: {
      page: { kind: 'm:1', entity: 'FacebookPage', deleteRule: 'cascade', index: true },
      department: { kind: 'm:1', entity: 'Department', deleteRule: 'cascade', index: true },
      title: { type: 'string', length: 20 },
      position: { type: 'smallint' },
    },
  },
);
