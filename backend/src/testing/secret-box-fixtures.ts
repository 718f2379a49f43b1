import { createCipheriv, randomBytes } from 'node:crypto';

/**
 * A value in the first stored format (`v1.<iv>.<tag>.<ciphertext>`: no key id, no additional
 * data), exactly as Omni wrote secrets before v2: for tests that old values still open.
 */
export function sealAsV1(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
  return ['v1', ...parts].join('.');
}
