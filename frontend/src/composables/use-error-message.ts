import { useI18n } from 'vue-i18n';
import { CLIENT_ERROR_CODES, isApiError } from '@/api/http';
import type { ApiError } from '@/api/http';

/** Statuses a proxy or load balancer answers when the API itself is not there. */
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/**
 * Turns any thrown value into a sentence for a person: our own wording for known codes,
 * otherwise the server's message (api.md promises it is readable), otherwise a generic line.
 */
export function useErrorMessage() {
  const { t, te } = useI18n();

  function describeError(error: unknown): string {
    if (!isApiError(error)) return t('errors.generic');
    const key = `errors.${error.code}`;
    if (te(key)) return t(key);
    if (error.code === CLIENT_ERROR_CODES.unexpected) {
      return GATEWAY_STATUSES.has(error.status) ? t('errors.NETWORK_ERROR') : t('errors.generic');
    }
    return error.message || t('errors.generic');
  }

  /**
   * Field messages for a form: the server's VALIDATION_FAILED details, plus codes that are about
   * one field (e.g. EMAIL_TAKEN belongs under the email input).
   */
  function fieldErrorsOf<Field extends string>(
    error: ApiError,
    fields: readonly Field[],
    codeToField: Partial<Record<string, Field>> = {},
  ): Partial<Record<Field, string>> {
    const result: Partial<Record<Field, string>> = {};
    const serverFields = error.fieldErrors;
    for (const field of fields) {
      const message = serverFields[field];
      if (message) result[field] = message;
    }
    const codeField = codeToField[error.code];
    if (codeField) result[codeField] = describeError(error);
    return result;
  }

  return { describeError, fieldErrorsOf };
}
