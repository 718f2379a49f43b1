import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12; // the size GCM is designed for
/** GCM's full tag. Node's decipher would also accept a truncated one (down to 4 bytes). */
const AUTH_TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * Where a sealed value belongs: what it is (`facebook_page.access_token`) and the id of its
 * row. Both are bound into the ciphertext as additional authenticated data, so a value copied
 * to another row or column does not open.
 */
export type SealContext = { purpose: string; rowId: string };

/** A sealed value that does not open: tampered, moved, or sealed with a key Omni lacks. */
export class UnreadableSecretError extends Error {
  override name = 'UnreadableSecretError';
}

type Key = { id: string; bytes: Buffer };

/**
 * Encrypts secrets at rest (page access tokens, app secrets) with AES-256-GCM.
 *
 * Stored forms (base64url parts):
 * - `v2.<key id>.<iv>.<tag>.<ciphertext>`: sealed with the key whose id is given, with the
 *   SealContext as additional authenticated data. Every new value is sealed so, with the
 *   current key (ENCRYPTION_KEY).
 * - `v1.<iv>.<tag>.<ciphertext>`: the first format, without a key id or additional data; still
 *   read (with the current key, then the previous one) until `npm run secrets:reseal` has
 *   rewritten it as v2.
 *
 * A previous key (ENCRYPTION_KEY_PREVIOUS) is only ever used to open values during a rotation.
 */
export class SecretBox {
  private readonly current: Key;
  private readonly previous: Key | null;

  constructor(currentKey: Buffer, previousKey?: Buffer | null) {
    this.current = toKey(currentKey);
    this.previous = previousKey ? toKey(previousKey) : null;
  }

  seal(plaintext: string, context: SealContext): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.bytes, iv, {
      authTagLength: AUTH_TAG_BYTES,
    });
    cipher.setAAD(additionalData(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v2', this.current.id, ...[iv, cipher.getAuthTag(), ciphertext].map(base64url)].join(
      '.',
    );
  }

  open(sealed: string, context: SealContext): string {
    const parts = sealed.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
      const key = [this.current, this.previous].find((candidate) => candidate?.id === keyId);
      if (!key) {
        throw new UnreadableSecretError(
          'This secret was sealed with a key that is neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS.',
        );
      }
      return decrypt(key, iv, tag, ciphertext, additionalData(context));
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv, tag, ciphertext] = parts as [string, string, string, string];
      const keys = this.previous ? [this.current, this.previous] : [this.current];
      for (const key of keys) {
        try {
          return decrypt(key, iv, tag, ciphertext, null);
        } catch (error) {
          if (key === keys.at(-1)) throw error;
        }
      }
    }
    throw new UnreadableSecretError('Not a value sealed by SecretBox.');
  }

  /** Whether `seal` would write this value the same way (v2, current key): nothing to reseal. */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(this.currentPrefix);
  }

  /** What every value sealed now starts with (for finding the others in SQL). */
  get currentPrefix(): string {
    return `v2.${this.current.id}.`;
  }
}

/** What the API shows of a saved secret: its last four characters. */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}

function toKey(bytes: Buffer): Key {
  if (bytes.length !== KEY_BYTES) throw new Error('SecretBox needs a 32-byte key');
  // Names the key in stored values without revealing anything usable about it.
  const id = createHash('sha256').update('omni secret-box key id\0').update(bytes).digest();
  return { id: base64url(id.subarray(0, 6)), bytes };
}

function additionalData({ purpose, rowId }: SealContext): Buffer {
  return Buffer.from(JSON.stringify([purpose, rowId]), 'utf8');
}

function decrypt(
  key: Key,
  iv: string,
  tag: string,
  ciphertext: string,
  aad: Buffer | null,
): string {
  const tagBytes = Buffer.from(tag, 'base64url');
  if (tagBytes.length !== AUTH_TAG_BYTES) {
    throw new UnreadableSecretError('The authentication tag of this secret is not 16 bytes.');
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key.bytes, Buffer.from(iv, 'base64url'), {
      authTagLength: AUTH_TAG_BYTES,
    });
    decipher.setAuthTag(tagBytes);
    if (aad) decipher.setAAD(aad);
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new UnreadableSecretError(
      'This secret does not open: it was changed, moved to another record, or sealed with another key.',
    );
  }
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}
