import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The secrets of mailed links (invitations, password resets). A link's token is an HMAC of
 * its record's id and a random nonce under a key derived from the server secret: the row
 * stores the nonce and the token's SHA-256 only, so neither the database nor a job payload
 * holds a usable token, yet the mail job can write the link again (a retry, a resend).
 */
export class LinkTokens {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    this.key = createHmac('sha256', serverSecret).update('omni mailed link tokens').digest();
  }

  static newNonce(): string {
    return randomBytes(16).toString('base64url');
  }

  tokenFor(purpose: string, id: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`${purpose}:${id}:${nonce}`).digest('base64url');
  }

  static hash(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
