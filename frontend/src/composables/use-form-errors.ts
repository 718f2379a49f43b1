import { ref, watch } from 'vue';
import { useI18n } from 'vue-i18n';
import { isApiError } from '@/api/http';
import type { FieldIssues } from '@/utils/validation';
import { useErrorMessage } from './use-error-message';

/**
 * Error state of one form: a message per field (client checks or the server's VALIDATION_FAILED
 * details) and one form-level message for everything that belongs to no field.
 */
export function useFormErrors<Field extends string>(fields: readonly Field[]) {
  const { t } = useI18n();
  const { describeError, fieldErrorsOf } = useErrorMessage();

  const fieldErrors = ref<Partial<Record<Field, string>>>({});
  const formError = ref('');

  /** Shows client-side issues; returns true when there are none (the form may be sent). */
  function applyIssues(issues: FieldIssues<Field>): boolean {
    const translated: Partial<Record<Field, string>> = {};
    for (const field of fields) {
      const issue = issues[field];
      if (issue) translated[field] = t(issue.key, issue.params ?? {});
    }
    fieldErrors.value = translated;
    formError.value = '';
    return Object.keys(translated).length === 0;
  }

  /** Puts a failed request's message under its field when it has one, else above the form. */
  function applyServerError(
    error: unknown,
    codeToField: Partial<Record<string, Field>> = {},
  ): void {
    const perField = isApiError(error) ? fieldErrorsOf(error, fields, codeToField) : {};
    fieldErrors.value = perField;
    formError.value = Object.keys(perField).length === 0 ? describeError(error) : '';
  }

  function clearErrors(): void {
    fieldErrors.value = {};
    formError.value = '';
  }

  /** Removes a field's message as soon as the person edits that field. */
  function clearOnEdit(values: Record<Field, unknown>): void {
    for (const field of fields) {
      watch(
        () => values[field],
        () => {
          if (!fieldErrors.value[field]) return;
          const next = { ...fieldErrors.value };
          delete next[field];
          fieldErrors.value = next;
        },
        { deep: true },
      );
    }
  }

  /** Props for an NFormItem: red border and the message under the input, else the hint. */
  function feedbackOf(
    field: Field,
    hint?: string,
  ): { validationStatus?: 'error'; feedback?: string } {
    const message = fieldErrors.value[field];
    if (message) return { validationStatus: 'error', feedback: message };
    return hint ? { feedback: hint } : {};
  }

  return {
    fieldErrors,
    formError,
    applyIssues,
    applyServerError,
    clearErrors,
    clearOnEdit,
    feedbackOf,
  };
}
