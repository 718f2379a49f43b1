import type { AuditAction, AuditEntry, AuditTargetType } from '@/api/types';

/**
 * Every action code, in the order the filter offers them. Typed against the API's enum both
 * ways, so a code the backend adds fails the typecheck until it is listed (and translated).
 */
export const AUDIT_ACTIONS = [
  'page.created',
  'page.updated',
  'page.deleted',
  'operator.created',
  'operator.updated',
  'operator.deleted',
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
] as const satisfies readonly AuditAction[];

type Unlisted = Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>;
/** Fails to compile while an action of the API is missing above. */
export const EVERY_ACTION_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;

/** The i18n key of an action ("page.created" → auditLog.actions.page_created). */
export function actionKey(action: AuditAction): string {
  return `auditLog.actions.${action.replace('.', '_')}`;
}

export function targetTypeKey(type: AuditTargetType): string {
  return `auditLog.targets.${type}`;
}

/** A value as the log shows it: nothing, yes/no (translated by the view), or text. */
export type ShownValue =
  { kind: 'empty' } | { kind: 'boolean'; value: boolean } | { kind: 'text'; text: string };

/** One line of an entry's changes: "field: from → to", or "field: changed" for a secret. */
export type ShownChange =
  | { field: string; kind: 'secret' }
  | { field: string; kind: 'value'; from: ShownValue; to: ShownValue };

export function showValue(value: unknown): ShownValue {
  if (value === null || value === undefined || value === '') return { kind: 'empty' };
  if (Array.isArray(value) && value.length === 0) return { kind: 'empty' };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (Array.isArray(value)) return { kind: 'text', text: value.map(String).join(', ') };
  if (typeof value === 'object') return { kind: 'text', text: JSON.stringify(value) };
  return { kind: 'text', text: String(value) };
}

export function showChanges(changes: AuditEntry['changes']): ShownChange[] {
  return Object.entries(changes).map(([field, change]) =>
    'changed' in change
      ? { field, kind: 'secret' }
      : { field, kind: 'value', from: showValue(change.from), to: showValue(change.to) },
  );
}
