import { createHmac, timingSafeEqual } from 'node:crypto';

/** What Facebook's data deletion callback carries: the person as the app knows them. */
export type DataDeletionPayload = {
  algorithm: string;
  /** The app-scoped user id (Facebook Login's), which Omni never stores. */
  user_id?: string;
  issued_at?: number;
};

/**
 * Reads a Facebook `signed_request` (`<signature>.<payload>`, both base64url): the payload is
 * JSON, the signature HMAC-SHA256 of the payload's base64url text keyed with the app secret,
 * and the payload names that algorithm. Returns the payload when one of `appSecrets` signed
 * it, else null (malformed, another algorithm, or nobody's signature here).
 */
export function verifySignedRequest(
  signedRequest: string,
  appSecrets: Iterable<string>,
): DataDeletionPayload | null {
  const [encodedSignature, encodedPayload, ...rest] = signedRequest.split('.');
  if (!encodedSignature || !encodedPayload || rest.length > 0) return null;
  if (!BASE64URL.test(encodedSignature) || !BASE64URL.test(encodedPayload)) return null;
  const signature = Buffer.from(encodedSignature, 'base64url');
  const isSigned = [...appSecrets].some((secret) => {
    const expected = createHmac('sha256', secret).update(encodedPayload).digest();
    return expected.length === signature.length && timingSafeEqual(expected, signature);
  });
  if (!isSigned) return null;
  try {
    const payload = JSON.parse(
      Buffer.from(encodedPayload, 'base64url').toString('utf8'),
    ) as unknown;
    if (typeof payload !== 'object' || payload === null) return null;
    const { algorithm } = payload as { algorithm?: unknown };
    if (typeof algorithm !== 'string' || algorithm.toUpperCase() !== 'HMAC-SHA256') return null;
    return payload as DataDeletionPayload;
  } catch {
    return null;
  }
}

/** Facebook pads nothing, but a `=` or two at the end is tolerated. */
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** A signed_request as Facebook makes one (tests, and the App Review kit's example). */
export function signRequest(payload: object, appSecret: string): string {
  const encodedPayload = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = createHmac('sha256', appSecret).update(encodedPayload).digest('base64url');
  return `${signature}.${encodedPayload}`;
}
