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
  'contact.erased',
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

/**
 * The entries' changes as the log shows them; business hours' weekly ranges ("1 09:00–13:00",
 * ISO day first) with the day's name in `locale` ("Mon 09:00–13:00").
 */
export function showChanges(changes: AuditEntry['changes'], locale = 'en'): ShownChange[] {
  return Object.entries(changes).map(([field, change]) => {
    if ('changed' in change) return { field, kind: 'secret' };
    const shown = (value: unknown) =>
      showValue(field === 'weekly' ? nameWeekdays(value, locale) : value);
    return { field, kind: 'value', from: shown(change.from), to: shown(change.to) };
  });
}

/** 2024-01-01 was a Monday: ISO day `n` is that date plus n − 1 days. */
const A_MONDAY = Date.UTC(2024, 0, 1);

function nameWeekdays(value: unknown, locale: string): unknown {
  if (!Array.isArray(value)) return value;
  const dayName = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  return value.map((range) => {
    const match = typeof range === 'string' ? /^([1-7]) (.*)$/.exec(range) : null;
    if (!match) return range;
    const day = new Date(A_MONDAY + (Number(match[1]) - 1) * 86_400_000);
    return `${dayName.format(day)} ${match[2]}`;
  });
}
