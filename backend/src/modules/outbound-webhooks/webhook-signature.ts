import { createHmac } from 'node:crypto';

/**
 * `X-Omni-Signature` of a body: `sha256=` and the hex HMAC-SHA256 of the raw body, keyed
 * with the subscription's whole secret (`whsec_…`). A receiver computes the same over the
 * bytes it received and compares in constant time.
 */
export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
