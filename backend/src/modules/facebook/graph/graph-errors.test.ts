import { describe, expect, it } from 'vitest';
import {
  GraphApiError,
  NO_ANSWER_FROM_FACEBOOK,
  classifyGraphError,
  type GraphErrorKind,
} from './graph-errors.js';

type Row = { code: number | null; subcode?: number; httpStatus?: number; kind: GraphErrorKind };

/** Every row of the error table in shared/docs/messenger-platform.md ("Send API"). */
const TABLE: Row[] = [
  // 190: token invalid, expired, password changed, session invalidated
  { code: 190, kind: 'invalid_token' },
  ...[458, 460, 463, 467, 492].map((subcode) => ({ code: 190, subcode, kind: 'invalid_token' })),
  // 10 (2018278, 2534022): outside the allowed window
  { code: 10, subcode: 2018278, kind: 'window_closed' },
  { code: 10, subcode: 2534022, kind: 'window_closed' },
  // 10 (2018065) needs a permission; 10 (2018108) the person can't receive messages now
  { code: 10, subcode: 2018065, kind: 'permission' },
  { code: 10, subcode: 2018108, kind: 'recipient_unavailable' },
  { code: 10, kind: 'permission' },
  // 10 (1893063): page temporarily restricted
  { code: 10, subcode: 1893063, kind: 'page_restricted' },
  // 551, 200 (1545041): person not available
  { code: 551, kind: 'recipient_unavailable' },
  { code: 551, subcode: 1545041, kind: 'recipient_unavailable' },
  { code: 200, subcode: 1545041, kind: 'recipient_unavailable' },
  // 200 (2018028), other 200–299: permission missing
  { code: 200, subcode: 2018028, kind: 'permission' },
  { code: 200, kind: 'permission' },
  { code: 230, kind: 'permission' },
  { code: 299, kind: 'permission' },
  // 100 (2018001, 2018008, 2018109, …): invalid parameter
  ...[2018001, 2018008, 2018109].map((subcode) => ({
    code: 100,
    subcode,
    kind: 'invalid_parameter' as const,
  })),
  { code: 100, kind: 'invalid_parameter' },
  // 2018300: another app controls the thread (listed as a code; seen as a subcode of 10)
  { code: 2018300, kind: 'thread_controlled_by_other_app' },
  { code: 10, subcode: 2018300, kind: 'thread_controlled_by_other_app' },
  // rate limits
  ...[4, 17, 32, 613, 80001, 80006].map((code) => ({ code, kind: 'rate_limited' as const })),
  { code: 613, subcode: 2018338, kind: 'rate_limited' },
  // temporary failures
  ...[1, 2, 1200].map((code) => ({ code, kind: 'temporary' as const })),
  { code: 2, subcode: 2018344, kind: 'temporary' },
  ...[500, 502, 503, 504].map((httpStatus) => ({
    code: null,
    httpStatus,
    kind: 'temporary' as const,
  })),
  // outside the table
  { code: 368, kind: 'unknown' },
  { code: null, httpStatus: 400, kind: 'unknown' },
  { code: null, httpStatus: 404, kind: 'unknown' },
] as Row[];

/** The table's "retry with backoff" rows. */
const RETRIED_KINDS: GraphErrorKind[] = ['rate_limited', 'temporary'];

describe('classifying Graph errors', () => {
  it.each(TABLE.map((row) => [describeRow(row), row] as const))('%s', (_name, row) => {
    const error = new GraphApiError(
      {
        httpStatus: row.httpStatus ?? 400,
        code: row.code,
        subcode: row.subcode ?? null,
        type: 'OAuthException',
        fbtraceId: null,
        facebookMessage: null,
      },
      'failed',
    );
    expect(error.kind).toBe(row.kind);
    expect(error.isRetryable).toBe(RETRIED_KINDS.includes(row.kind));
  });

  it("lets Facebook's code decide over an HTTP 5xx", () => {
    expect(classifyGraphError({ code: 190, subcode: null, httpStatus: 500 })).toBe('invalid_token');
    expect(classifyGraphError({ code: 368, subcode: null, httpStatus: 500 })).toBe('temporary');
  });
});

describe('GraphApiError', () => {
  const fromFacebook = (code: number, subcode: number | null, facebookMessage: string | null) =>
    new GraphApiError(
      { httpStatus: 400, code, subcode, type: 'OAuthException', fbtraceId: 'Abc', facebookMessage },
      'failed',
    );

  it('says what happened in a sentence for operators', () => {
    expect(
      fromFacebook(10, 2018278, '(#10) This message is sent outside of allowed window.').reason,
    ).toBe('The 24-hour reply window has closed.');
    expect(fromFacebook(190, 460, 'Error validating access token').reason).toBe(
      "The page's access token is no longer valid — an admin must replace it.",
    );
    expect(fromFacebook(613, null, null).reason).toMatch(/retry/);
  });

  it("adds Facebook's words to an invalid-parameter reason, without the code prefix", () => {
    expect(fromFacebook(100, 2018001, '(#100) No matching user found').reason).toBe(
      'Facebook refused the request as invalid: No matching user found.',
    );
    expect(fromFacebook(100, null, null).reason).toBe('Facebook refused the request as invalid.');
  });

  it('keeps every field Facebook sent', () => {
    const details = {
      httpStatus: 400,
      code: 100,
      subcode: 2018001,
      type: 'OAuthException',
      fbtraceId: 'AYvBzLgkiUVG',
      facebookMessage: '(#100) No matching user found',
      userTitle: 'Recipient unknown',
      userMessage: 'Check the recipient.',
    };
    const error = new GraphApiError(details, 'Graph API POST /me/messages failed');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      ...details,
      name: 'GraphApiError',
      message: 'Graph API POST /me/messages failed',
      kind: 'invalid_parameter',
      isRetryable: false,
      isOutcomeUnknown: false,
    });
  });

  it('takes a given kind for failures without an answer', () => {
    const error = new GraphApiError(
      { ...NO_ANSWER_FROM_FACEBOOK, kind: 'temporary', isOutcomeUnknown: true },
      'timed out',
    );
    expect(error).toMatchObject({ kind: 'temporary', isRetryable: true, isOutcomeUnknown: true });
  });
});

function describeRow(row: Row): string {
  const code = row.code === null ? `HTTP ${row.httpStatus}` : `code ${row.code}`;
  return `${code}${row.subcode ? `/${row.subcode}` : ''} → ${row.kind}`;
}
