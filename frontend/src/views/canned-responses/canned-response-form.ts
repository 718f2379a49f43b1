import type { CannedResponse, CannedResponseCreateInput, CannedResponseScope } from '@/api/types';
import { issues, type FieldIssues } from '@/utils/validation';

/** The server's bounds (canned-responses.schemas.ts). */
export const MAX_SHORTCUT_LENGTH = 32;
export const MAX_TITLE_LENGTH = 120;
export const MAX_CANNED_TEXT_LENGTH = 2000;

export const CANNED_FORM_FIELDS = ['shortcut', 'title', 'text', 'scope', 'departmentId'] as const;
export type CannedFormField = (typeof CANNED_FORM_FIELDS)[number];

export type CannedForm = {
  shortcut: string;
  title: string;
  text: string;
  scope: CannedResponseScope;
  departmentId: string | null;
};

/** The variables the text may use, with the i18n key of their label. */
export const TEMPLATE_VARIABLES = [
  { variable: '{{visitor.first_name}}', labelKey: 'canned.variableNames.visitorFirstName' },
  { variable: '{{visitor.name}}', labelKey: 'canned.variableNames.visitorName' },
  { variable: '{{operator.name}}', labelKey: 'canned.variableNames.operatorName' },
  { variable: '{{page.name}}', labelKey: 'canned.variableNames.pageName' },
] as const;

export function formFor(response: CannedResponse | null, canShare: boolean): CannedForm {
  return {
    shortcut: response?.shortcut ?? '',
    title: response?.title ?? '',
    text: response?.text ?? '',
    scope: response?.scope ?? (canShare ? 'tenant' : 'personal'),
    departmentId: response?.departmentId ?? null,
  };
}

/** A `/` typed out of habit is dropped, as the server does. */
export function normalizeShortcut(shortcut: string): string {
  return shortcut.trim().replace(/^\/+/, '');
}

/** What the panel can tell before asking the server; the server has the final word. */
export function validateCannedForm(form: CannedForm): FieldIssues<CannedFormField> {
  const result: FieldIssues<CannedFormField> = {};
  const shortcut = normalizeShortcut(form.shortcut);
  if (!shortcut) result.shortcut = issues.required();
  else if (/[\s/]/.test(shortcut)) result.shortcut = { key: 'canned.shortcutFormat' };
  if (!form.text.trim()) result.text = issues.required();
  if (form.scope === 'department' && !form.departmentId) {
    result.departmentId = { key: 'canned.chooseDepartment' };
  }
  return result;
}

export function toCreateInput(form: CannedForm): CannedResponseCreateInput {
  return {
    shortcut: normalizeShortcut(form.shortcut),
    title: form.title.trim() || null,
    text: form.text.trim(),
    scope: form.scope,
    ...(form.scope === 'department' && form.departmentId
      ? { departmentId: form.departmentId }
      : {}),
  };
}
