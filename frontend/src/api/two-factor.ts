import { http } from './http';
import type { TwoFactorRecoveryCodes, TwoFactorSetup } from './types';

/** A new pending secret (replacing any earlier one): shown only now. 409 when already on. */
export function setUpTwoFactor(): Promise<TwoFactorSetup> {
  return http.post<TwoFactorSetup>('/api/me/2fa/setup');
}

/** Turns it on with a code of the pending secret; the recovery codes come back only now. */
export function enableTwoFactor(code: string): Promise<TwoFactorRecoveryCodes> {
  return http.post<TwoFactorRecoveryCodes>('/api/me/2fa/enable', { code });
}

/** 400 INVALID_TWO_FACTOR_CODE unless `code` is a current code or an unused recovery code. */
export function disableTwoFactor(code: string): Promise<void> {
  return http.post<void>('/api/me/2fa/disable', { code });
}
