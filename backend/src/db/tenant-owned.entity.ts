import { EntitySchema } from '@mikro-orm/core';
import { BaseEntity } from './base.entity.js';
import type { Tenant } from '../modules/tenants/tenant.entity.js';

/**
 * Base of every entity that belongs to one tenant. The ORM's default `tenant` filter
 * (db/tenant-filter.ts) scopes all reads of these entities to the caller's tenant.
 */
export abstract class TenantOwnedEntity extends BaseEntity {
  constructor(public tenant: Tenant) {
    super();
  }
}

export const TenantOwnedEntitySchema = new EntitySchema<TenantOwnedEntity, BaseEntity>({
  class: TenantOwnedEntity,
  abstract: true,
  extends: 'BaseEntity',
  properties: {
    tenant: { kind: 'm:1', entity: 'Tenant', deleteRule: 'cascade', index: true },
  },
});
