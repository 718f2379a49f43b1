import { dictionary } from '@zxcvbn-ts/language-common';

/** api.md: passwords have at least this many characters and are not common ones. */
export const MIN_PASSWORD_LENGTH = 10;

/** The error code of a password that breaks the policy (400). */
export const WEAK_PASSWORD = 'WEAK_PASSWORD';

let commonPasswords: ReadonlySet<string> | undefined;

/**
 * The ~49,000 most common passwords of zxcvbn-ts's curated list (leaked-password corpora),
 * lower-cased. Built on first use: the api needs it, the worker never does.
 */
function commonPasswordSet(): ReadonlySet<string> {
  commonPasswords ??= new Set(
    dictionary['passwords-common'].map((password) => password.toLowerCase()),
  );
  return commonPasswords;
}

/** Why a new password is refused, as a sentence for the person, or null when it is fine. */
export function describePasswordWeakness(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (commonPasswordSet().has(password.trim().toLowerCase())) {
    return 'This password is one of the most common ones; choose one that is harder to guess.';
  }
  return null;
}
