import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Department } from '../departments/department.entity.js';
import type { User } from '../operators/user.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

/**
 * Who sees a canned response: everyone in the tenant, the members of one department, or
 * only the operator who wrote it.
 */
export const CANNED_RESPONSE_SCOPES = ['tenant', 'department', 'personal'] as const;
export type CannedResponseScope = (typeof CANNED_RESPONSE_SCOPES)[number];

/** Where a canned response belongs: its scope and, for two of them, whose it is. */
export type CannedResponseOwnership =
  | { scope: 'tenant' }
  | { scope: 'department'; department: Department }
  | { scope: 'personal'; owner: User };

/**
 * A reply an operator inserts by typing `/shortcut` in the composer. Its scope never changes
 * after creation (the rights to change it depend on it). Deleting its department or its
 * owner deletes it.
 */
export class CannedResponse extends TenantOwnedEntity {
  scope: CannedResponseScope;
  department: Department | null = null;
  owner: User | null = null;

  constructor(
    tenant: Tenant,
    ownership: CannedResponseOwnership,
    public shortcut: string,
    public title: string | null,
    public text: string,
  ) {
    super(tenant);
    this.scope = ownership.scope;
    if (ownership.scope === 'department') this.department = ownership.department;
    if (ownership.scope === 'personal') this.owner = ownership.owner;
  }
}

export const CannedResponseSchema = new EntitySchema<CannedResponse, TenantOwnedEntity>({
  class: CannedResponse,
  extends: 'TenantOwnedEntity',
  properties: {
    scope: { enum: true, items: () => CANNED_RESPONSE_SCOPES },
    department: {
      kind: 'm:1',
      entity: 'Department',
      nullable: true,
      deleteRule: 'cascade',
      index: true,
    },
    owner: { kind: 'm:1', entity: 'User', nullable: true, deleteRule: 'cascade', index: true },
    shortcut: { type: 'string', length: 32 },
    title: { type: 'string', length: 120, nullable: true },
    text: { type: 'text' },
  },
  indexes: [
    // Shared shortcuts (tenant and department ones) are one namespace per tenant: a
    // department's can then never clash with another's when an operator joins both.
    {
      name: 'canned_response_shared_shortcut_unique',
      expression:
        'create unique index "canned_response_shared_shortcut_unique" on "canned_response" ("tenant_id", lower("shortcut")) where "scope" <> \'personal\'',
    },
    {
      name: 'canned_response_personal_shortcut_unique',
      expression:
        'create unique index "canned_response_personal_shortcut_unique" on "canned_response" ("owner_id", lower("shortcut")) where "scope" = \'personal\'',
    },
  ],
});
