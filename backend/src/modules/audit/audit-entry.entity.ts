import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { User } from '../operators/user.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

/**
 * What an admin or supervisor did, as stable codes `<target type>.<verb>`: the API's filter
 * and the panel's wording key on them, so a code is never renamed, only added. A new
 * feature adds its codes here (and its target type below); recording is one
 * `recordAudit` call in the change's transaction.
 */
export const AUDIT_ACTIONS = [
  'page.created',
  'page.updated',
  'page.deleted',
  'operator.created',
  'operator.updated',
  'operator.deleted',
  'operator.two_factor_reset',
  'department.created',
  'department.updated',
  'department.deleted',
  'department.hours_updated',
  'settings.updated',
  'label.created',
  'label.updated',
  'label.deleted',
  'canned_response.created',
  'canned_response.updated',
  'canned_response.deleted',
  'invitation.created',
  'invitation.resent',
  'invitation.revoked',
  'conversation.assigned',
  'conversation.taken_over',
  'conversation.transferred',
  'conversation.closed',
  'api_token.created',
  'api_token.revoked',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'webhook.disabled',
  'contact.erased',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an entry is about; `settings` names the tenant itself. */
export const AUDIT_TARGET_TYPES = [
  'page',
  'operator',
  'department',
  'settings',
  'label',
  'canned_response',
  'invitation',
  'conversation',
  'api_token',
  'webhook',
  'contact',
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/**
 * A field's change: its plain values before and after (null where it did not exist), or,
 * for a secret, only that it was set anew.
 */
export type AuditFieldChange = { from: unknown; to: unknown } | { changed: true };
export type AuditChanges = Record<string, AuditFieldChange>;

/** One change to record (`recordAudit`): what was done to what, and the fields it changed. */
export type AuditRecord = {
  action: AuditAction;
  /** `name` as the target is called now; null for a conversation: its visitor's name is used. */
  target: { type: AuditTargetType; id: string; name: string | null };
  changes?: AuditChanges;
};

/**
 * One line of the tenant's audit log, written in the transaction of the change it records
 * (audit-recorder.ts), never changed afterwards. The actor's and the target's names are kept
 * as they were, so the log still reads right after either is renamed or deleted. Kept
 * forever: there is no retention sweep.
 */
export class AuditEntry extends TenantOwnedEntity {
  actor: User | null = null;
  targetName: string | null = null;
  changes: AuditChanges = {};

  constructor(
    tenant: Tenant,
    public actorName: string,
    public action: AuditAction,
    public targetType: AuditTargetType,
    public targetId: string,
  ) {
    super(tenant);
  }
}

export const AuditEntrySchema = new EntitySchema<AuditEntry, TenantOwnedEntity>({
  class: AuditEntry,
  extends: 'TenantOwnedEntity',
  properties: {
    actor: { kind: 'm:1', entity: 'User', nullable: true, deleteRule: 'set null' },
    actorName: { type: 'string', length: 120 },
    // Text rather than enums: a new code needs no migration.
    action: { type: 'text' },
    targetType: { type: 'text' },
    targetId: { type: 'uuid' },
    targetName: { type: 'text', nullable: true },
    changes: { type: 'json', defaultRaw: `'{}'` },
  },
  indexes: [
    // The log is read newest first, a page at a time: (created_at, id) is the cursor.
    { name: 'audit_entry_tenant_created_at_index', properties: ['tenant', 'createdAt', 'id'] },
    // Filtered by who acted (also what a user's deletion scans to unlink them).
    { name: 'audit_entry_actor_created_at_index', properties: ['actor', 'createdAt', 'id'] },
    {
      name: 'audit_entry_tenant_action_created_at_index',
      properties: ['tenant', 'action', 'createdAt', 'id'],
    },
    {
      name: 'audit_entry_tenant_target_type_created_at_index',
      properties: ['tenant', 'targetType', 'createdAt', 'id'],
    },
  ],
});
