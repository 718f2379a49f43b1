import type { Dictionary, EntityManager, EntitySchema } from '@mikro-orm/core';

export const TENANT_FILTER = 'tenant';

export type TenantFilterArguments = { tenantId: string };

/**
 * The one mechanism that scopes tenant data: a default filter on every entity that has a
 * `tenant` property. Its condition takes an argument, so MikroORM throws "No arguments
 * provided for filter 'tenant'" when code reads tenant data without a tenant in scope —
 * forgetting the scope fails loudly instead of leaking. Code that must cross tenants (login
 * by email, the webhook's tenant-key lookup) says so with `filters: { tenant: false }`.
 */
export function createTenantFilter(schemas: EntitySchema[]): {
  cond: (args: TenantFilterArguments) => Dictionary;
  entity: string[];
  default: true;
} {
  return {
    default: true,
    entity: tenantOwnedEntityNames(schemas),
    cond: (args: TenantFilterArguments) => ({ tenant: args.tenantId }),
  };
}

export function tenantOwnedEntityNames(schemas: EntitySchema[]): string[] {
  return schemas
    .filter((schema) => !schema.meta.abstract && hasTenantProperty(schema, schemas))
    .map((schema) => schema.meta.className);
}

function hasTenantProperty(schema: EntitySchema, schemas: EntitySchema[]): boolean {
  if ('tenant' in schema.meta.properties) return true;
  const parent = schemas.find((candidate) => candidate.meta.className === schema.meta.extends);
  return parent ? hasTenantProperty(parent, schemas) : false;
}

/** From here on, every query of this request or job sees only this tenant's rows. */
export function scopeToTenant(em: EntityManager, tenantId: string): void {
  const scope: TenantFilterArguments = { tenantId };
  em.setFilterParams(TENANT_FILTER, scope);
}
