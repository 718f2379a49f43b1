/**
 * Server rule (api contract): passwords have at least 10 characters and are not common ones;
 * only the server knows the list, and answers WEAK_PASSWORD.
 */
export const MIN_PASSWORD_LENGTH = 10;

/** Bounds of a per-operator or tenant-wide limit of simultaneous chats. */
export const MAX_CHATS_RANGE = { min: 1, max: 100 } as const;

/** Server rule: automatic close after 1 minute to a week of the visitor's silence (or never). */
export const AUTO_CLOSE_MINUTES_RANGE = { min: 1, max: 10_080 } as const;

/** Server rule: the unanswered-message reminder starts after 30 s to an hour. */
export const UNANSWERED_REMINDER_SECONDS_RANGE = { min: 30, max: 3600 } as const;

// Deliberately loose: the server has the final word, this only catches obvious typos early.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isValidEmail(value: string): boolean {
  return EMAIL_PATTERN.test(value.trim());
}

export function isWholeNumberInRange(value: number, range: { min: number; max: number }): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}

/** A message to show under a field: an i18n key and its parameters, translated by the view. */
export interface FieldIssue {
  key: string;
  params?: Record<string, unknown>;
}

export type FieldIssues<Field extends string> = Partial<Record<Field, FieldIssue>>;

export const issues = {
  required: (): FieldIssue => ({ key: 'validation.required' }),
  email: (): FieldIssue => ({ key: 'validation.email' }),
  passwordLength: (): FieldIssue => ({
    key: 'validation.passwordLength',
    params: { min: MIN_PASSWORD_LENGTH },
  }),
  wholeNumber: (range: { min: number; max: number }): FieldIssue => ({
    key: 'validation.wholeNumber',
    params: { ...range },
  }),
};
