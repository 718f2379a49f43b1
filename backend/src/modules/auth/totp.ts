import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app reads it by default: SHA-1, 30-second steps, 6 digits. */
const TOTP_PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
/** Steps of clock drift tolerated either side of now (a phone a little fast or slow). */
const DRIFT_STEPS = 1;
/** 160 bits, the key size RFC 4226 recommends for HMAC-SHA-1. */
const SECRET_BYTES = 20;

export const RECOVERY_CODE_COUNT = 10;
/** 10 characters of base32: 50 random bits each, typed as `xxxxx-xxxxx`. */
const RECOVERY_CODE_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const RECOVERY_CODE_LENGTH = 10;

/** A new TOTP secret in base32, as authenticator apps take it when typed by hand. */
export function generateTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The `otpauth://` URL an authenticator app scans (the QR code holds exactly this). */
export function totpUrl(secretBase32: string, accountName: string): string {
  return new TOTP({
    issuer: 'Omni',
    label: accountName,
    secret: Secret.fromBase32(secretBase32),
    ...TOTP_PARAMETERS,
  }).toString();
}

/** The current code of a secret (tests and the e2e spec compute what the phone would show). */
export function totpCodeAt(secretBase32: string, at: Date = new Date()): string {
  return totp(secretBase32).generate({ timestamp: at.getTime() });
}

/**
 * The time step (`floor(unix seconds / 30)`) whose code `code` is, within ±1 step of `at`, or
 * null. Callers remember the step they accepted and refuse it, and any earlier one, next time:
 * a code seen once (over a shoulder, in a phished form) is worth nothing afterwards.
 */
export function matchTotpStep(secretBase32: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32).validate({
    token: code,
    timestamp: at.getTime(),
    window: DRIFT_STEPS,
  });
  if (delta === null) return null;
  return Math.floor(at.getTime() / 1000 / TOTP_PARAMETERS.period) + delta;
}

function totp(secretBase32: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), ...TOTP_PARAMETERS });
}

/** Fresh single-use recovery codes, shown to the user once (only their digests are kept). */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(RECOVERY_CODE_LENGTH);
    const characters = [...bytes].map(
      (byte) => RECOVERY_CODE_ALPHABET[byte % RECOVERY_CODE_ALPHABET.length],
    );
    return `${characters.slice(0, 5).join('')}-${characters.slice(5).join('')}`;
  });
}

/**
 * What is stored of a recovery code: its SHA-256, bound to its user. 50 random bits need no
 * slow hash (nobody can try 2^50 candidates against a live login throttle, and a stolen
 * digest reveals nothing guessable); case, spaces and dashes as typed do not matter.
 */
export function recoveryCodeDigest(userId: string, code: string): string {
  const normalised = code.toLowerCase().replace(/[\s-]/g, '');
  return createHash('sha256').update(`${userId}\0${normalised}`).digest('base64url');
}
