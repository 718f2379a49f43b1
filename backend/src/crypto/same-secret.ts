import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time equality that does not reveal the length either (both sides hashed first). */
export function isSameSecret(expected: string, received: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(received));
}
