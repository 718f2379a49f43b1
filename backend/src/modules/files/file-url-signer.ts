import { createHmac, timingSafeEqual } from 'node:crypto';

/** Long enough for a shift in the panel; a reload gets fresh links. */
const LINK_LIFETIME_MS = 12 * 60 * 60 * 1000;

/**
 * Links to stored files that work in `<img src>` (which cannot send an Authorization
 * header): the id, an expiry and an HMAC of both. Only Omni can make one, and it expires.
 * With a files origin (FILES_PUBLIC_URL) the links are absolute and point there, so that a
 * file, whatever it holds, is never a page of the panel's origin; otherwise they are paths
 * on the panel's own origin.
 */
export class FileUrlSigner {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly filesOrigin: string | null = null,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.key = createHmac('sha256', secret).update('omni stored file links').digest();
  }

  urlFor(fileId: string): string {
    const expires = this.clock().getTime() + LINK_LIFETIME_MS;
    const path = `/api/files/${fileId}?expires=${expires}&signature=${this.sign(fileId, expires)}`;
    return `${this.filesOrigin ?? ''}${path}`;
  }

  isValid(fileId: string, expires: number, signature: string): boolean {
    if (!Number.isFinite(expires) || expires < this.clock().getTime()) return false;
    const expected = Buffer.from(this.sign(fileId, expires), 'hex');
    const received = Buffer.from(signature, 'hex');
    return received.length === expected.length && timingSafeEqual(received, expected);
  }

  private sign(fileId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${fileId}.${expires}`).digest('hex');
  }
}
