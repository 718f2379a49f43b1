import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

/**
 * A coloured tag an admin defines and anyone who sees a conversation puts on it
 * (`Conversation.labels`, the `conversation_label` table). Its name is unique in the tenant,
 * ignoring case; deleting it takes it off every conversation (the pivot's foreign key).
 */
export class Label extends TenantOwnedEntity {
  constructor(
    tenant: Tenant,
    public name: string,
    /** `#rrggbb`, lower case. */
    public color: string,
  ) {
    super(tenant);
  }
}

export const LabelSchema = new EntitySchema<Label, TenantOwnedEntity>({
  class: Label,
  extends: 'TenantOwnedEntity',
  properties: {
    name: { type: 'string', length: 40 },
    color: { type: 'string', length: 7 },
  },
  indexes: [
    {
      name: 'label_tenant_name_unique',
      expression:
        'create unique index "label_tenant_name_unique" on "label" ("tenant_id", lower("name"))',
    },
  ],
});
