import type { PageReadinessCheck } from '@/api/types';

/** A check's line in the panel's language: an i18n key under `readiness.` and its values. */
export type ReadinessMessage = { key: string; values: Record<string, string> };

/**
 * What the panel says of a check. The server's `detail` is English; the panel words each
 * outcome itself and names what is missing from `missing`, keeping Facebook's own words
 * (`detail`) only where Facebook answered with an error.
 */
export function readinessMessage(check: PageReadinessCheck): ReadinessMessage {
  const base = `readiness.checks.${check.id}`;
  if (check.ok) return { key: `${base}.ok`, values: {} };
  switch (check.problem) {
    case 'missing':
      return { key: `${base}.missing`, values: { items: check.missing.join(', ') } };
    case 'token_refused':
      return {
        key: check.id === 'token' ? 'readiness.tokenRefused' : 'readiness.unknownWhileTokenRefused',
        values: {},
      };
    case 'facebook_unavailable':
      return { key: 'readiness.facebookUnavailable', values: {} };
    case 'facebook_error':
      return { key: 'readiness.facebookError', values: { detail: check.detail } };
    default:
      return { key: `${base}.problem`, values: {} };
  }
}

/** How many checks are still to pass. */
export function countUnpassed(checks: readonly PageReadinessCheck[]): number {
  return checks.filter((check) => !check.ok).length;
}
