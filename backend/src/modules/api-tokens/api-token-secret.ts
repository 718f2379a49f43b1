import { createHash, randomBytes } from 'node:crypto';

/** Every API token starts with this, so a bearer header says which kind of credential it is. */
export const API_TOKEN_PREFIX = 'omni_';

/** How many characters of a token are kept to recognise it by (`omni_` and four more). */
const SHOWN_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 4;

/** A new token: `omni_` and 32 random bytes, base64url (256 bits). */
export function generateApiToken(): { token: string; hash: string; prefix: string } {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashApiToken(token), prefix: token.slice(0, SHOWN_PREFIX_LENGTH) };
}

/**
 * The stored form of a token. A plain SHA-256 is enough here, unlike for passwords: a slow
 * hash guards guessable secrets, and 256 random bits cannot be guessed from a leaked hash
 * however fast each try is. Being fast and deterministic, it can be looked up by index on
 * every request.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeApiToken(bearer: string): boolean {
  return bearer.startsWith(API_TOKEN_PREFIX);
}
