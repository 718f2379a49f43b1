import type { Sql } from '../../db/sql.js';
import type { Actor } from '../auth/actor.js';
import type {
  AuditAction,
  AuditChanges,
  AuditFieldChange,
  AuditRecord,
} from './audit-entry.entity.js';
import { AuditRepository } from './audit.repository.js';

/**
 * Who acted: a signed-in user, an API token (recorded by its name, with no person), or (an
 * invitee accepting, a job) nobody the log records.
 */
export type AuditActor = Pick<Actor, 'tenantId'> &
  Partial<Pick<Actor, 'userId' | 'role' | 'apiToken'>>;

/** The roles whose changes the log records: the ones that manage the tenant. */
const AUDITED_ROLES: readonly string[] = ['admin', 'supervisor'];

/**
 * Field names whose values are secrets: wherever such a key appears in `changes` (nested
 * too), its value is replaced by `{changed: true}`. The callers already pass secrets that
 * way (`secretsSet`); this is the net under them, so a secret added to a snapshot later
 * still never reaches the table.
 */
const SECRET_FIELD = /token|secret|password|passphrase|otp|2fa|recovery|signature|key$/i;

/**
 * Records a change in the audit log, in the transaction `sql` runs in: the entry commits
 * or rolls back with the change itself. Only admins' and supervisors' changes are recorded
 * (an operator's personal work is not audited); an update that changed no field (`changes`
 * given, and empty) is not either.
 */
export async function recordAudit(sql: Sql, actor: AuditActor, record: AuditRecord): Promise<void> {
  if (!actor.role || !AUDITED_ROLES.includes(actor.role)) return;
  if (record.changes && Object.keys(record.changes).length === 0) return;
  const by = actor.userId
    ? { userId: actor.userId }
    : actor.apiToken
      ? { apiTokenName: actor.apiToken.name }
      : undefined;
  if (!by) return;
  await new AuditRepository(sql).append(actor.tenantId, by, {
    ...record,
    changes: maskSecrets(record.changes ?? {}),
  });
}

/**
 * Records what Omni did on its own (no admin acted: a failing webhook disabled), in `sql`'s
 * transaction, with "Omni" as the actor's name.
 */
export async function recordOmniAudit(
  sql: Sql,
  tenantId: string,
  record: AuditRecord,
): Promise<void> {
  await new AuditRepository(sql).append(
    tenantId,
    { omni: true },
    { ...record, changes: maskSecrets(record.changes ?? {}) },
  );
}

/**
 * The plain fields that differ between two snapshots of a record, `{field: {from, to}}`. A
 * creation is a diff from `{}`, a deletion one to `{}` (the missing side is null).
 */
export function diffFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): AuditChanges {
  const changes: AuditChanges = {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const from = before[field] ?? null;
    const to = after[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

/** The secrets that were set anew, as the log shows them: only that they changed. */
export function secretsSet(fields: Record<string, boolean>): AuditChanges {
  const changes: AuditChanges = {};
  for (const [field, isSet] of Object.entries(fields)) if (isSet) changes[field] = SECRET_CHANGED;
  return changes;
}

const SECRET_CHANGED: AuditFieldChange = { changed: true };

export function maskSecrets(changes: AuditChanges): AuditChanges {
  const masked: AuditChanges = {};
  for (const [field, change] of Object.entries(changes)) {
    masked[field] = SECRET_FIELD.test(field)
      ? SECRET_CHANGED
      : 'changed' in change
        ? SECRET_CHANGED
        : { from: maskNested(change.from), to: maskNested(change.to) };
  }
  return masked;
}

function maskNested(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskNested);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SECRET_FIELD.test(key) ? SECRET_CHANGED : maskNested(inner),
    ]),
  );
}

/** A conversation moved or closed by hand: from whom, to whom (or to which queue). */
export type SteeringRecord = {
  action: Extract<AuditAction, `conversation.${string}`>;
  conversationId: string;
  /** Where it was: its status and holder before the move. */
  from: { status: string; operatorId: string | null };
  /** Where it went: an operator, a department's queue, or (nothing given) closed. */
  to: { operatorId: string } | { departmentId: string } | 'closed';
};

/**
 * Records an admin's or supervisor's move of a conversation, with the operators' and the
 * department's names as they are now, in `sql`'s transaction.
 */
export async function recordSteering(
  sql: Sql,
  actor: AuditActor,
  { action, conversationId, from, to }: SteeringRecord,
): Promise<void> {
  if (!actor.role || !AUDITED_ROLES.includes(actor.role)) return;
  const repository = new AuditRepository(sql);
  const toOperatorId = typeof to === 'object' && 'operatorId' in to ? to.operatorId : null;
  const toDepartmentId = typeof to === 'object' && 'departmentId' in to ? to.departmentId : null;
  const names = await repository.userNames(
    actor.tenantId,
    [from.operatorId, toOperatorId].filter((id): id is string => id !== null),
  );
  const after = {
    status: to === 'closed' ? 'closed' : toOperatorId ? 'assigned' : 'queued',
    operator: toOperatorId ? (names.get(toOperatorId) ?? null) : null,
    queue: toDepartmentId ? await repository.departmentName(actor.tenantId, toDepartmentId) : null,
  };
  const before = {
    status: from.status,
    operator: from.operatorId ? (names.get(from.operatorId) ?? null) : null,
  };
  await recordAudit(sql, actor, {
    action,
    target: { type: 'conversation', id: conversationId, name: null },
    changes: diffFields(before, after),
  });
}
