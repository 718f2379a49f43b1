/**
 * Graph API failures as one error type, classified the way the send pipeline acts on them.
 * The table this follows is "Send API" in shared/docs/messenger-platform.md.
 */

/** What a failure means for Omni; the send pipeline branches on this, never on raw codes. */
export type GraphErrorKind =
  | 'invalid_token'
  | 'window_closed'
  | 'recipient_unavailable'
  | 'permission'
  | 'invalid_parameter'
  | 'thread_controlled_by_other_app'
  | 'page_restricted'
  | 'rate_limited'
  | 'temporary'
  | 'unknown';

/** A sentence an operator or admin understands, per kind. */
const REASON_BY_KIND: Record<GraphErrorKind, string> = {
  invalid_token: "The page's access token is no longer valid — an admin must replace it.",
  window_closed: 'The 24-hour reply window has closed.',
  recipient_unavailable: "The visitor can't receive messages from this page right now.",
  permission:
    'The Facebook app is missing a permission for this — an admin must check the app and the page.',
  invalid_parameter: 'Facebook refused the request as invalid.',
  thread_controlled_by_other_app:
    'Another app controls this conversation, so Omni cannot reply until control is passed back.',
  page_restricted:
    'Facebook has temporarily restricted this page from sending messages — an admin must check the page.',
  rate_limited: 'Facebook is limiting how fast this page can send; Omni will retry shortly.',
  temporary: 'Facebook could not be reached or had a temporary problem; Omni will retry.',
  unknown: 'Facebook refused the request for an unexpected reason.',
};

const RETRYABLE_KINDS: ReadonlySet<GraphErrorKind> = new Set(['rate_limited', 'temporary']);

const WINDOW_CLOSED_SUBCODES = new Set([2018278, 2534022]);
/** App, user, page, custom, page-token and Messenger rate limits. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80006]);
/** Unknown error, service unavailable, "temporary send message failure". */
const TEMPORARY_CODES = new Set([1, 2, 1200]);
const PERSON_NOT_AVAILABLE_SUBCODE = 1545041;
const CANNOT_RECEIVE_NOW_SUBCODE = 2018108;
const PAGE_RESTRICTED_SUBCODE = 1893063;
/** Meta lists it as a code; it has also been seen as a subcode of 10, so either matches. */
const THREAD_CONTROLLED_BY_OTHER_APP = 2018300;

/** The parts of a failure that decide its kind. `null` where Facebook sent nothing. */
export type GraphErrorSignals = {
  httpStatus: number | null;
  code: number | null;
  subcode: number | null;
};

/**
 * Maps a Graph error to what it means for Omni. Facebook's code decides when it is one we
 * know; an HTTP 5xx without a known code is a temporary failure.
 */
export function classifyGraphError({
  httpStatus,
  code,
  subcode,
}: GraphErrorSignals): GraphErrorKind {
  if (code === 190) return 'invalid_token';
  if (code === THREAD_CONTROLLED_BY_OTHER_APP || subcode === THREAD_CONTROLLED_BY_OTHER_APP) {
    return 'thread_controlled_by_other_app';
  }
  if (code === 10 && subcode !== null && WINDOW_CLOSED_SUBCODES.has(subcode))
    return 'window_closed';
  if (code === 10 && subcode === PAGE_RESTRICTED_SUBCODE) return 'page_restricted';
  // 2018108 ("They can't receive your messages right now") is about the person, not the app:
  // telling an admin to fix permissions would send them after a problem they cannot fix.
  if (
    code === 551 ||
    (code === 200 && subcode === PERSON_NOT_AVAILABLE_SUBCODE) ||
    (code === 10 && subcode === CANNOT_RECEIVE_NOW_SUBCODE)
  ) {
    return 'recipient_unavailable';
  }
  if (code === 10 || (code !== null && code >= 200 && code <= 299)) return 'permission';
  if (code === 100) return 'invalid_parameter';
  if (code !== null && RATE_LIMIT_CODES.has(code)) return 'rate_limited';
  if (code !== null && TEMPORARY_CODES.has(code)) return 'temporary';
  if (httpStatus !== null && httpStatus >= 500) return 'temporary';
  return 'unknown';
}

/** Everything known about one failed Graph call. */
export type GraphErrorDetails = GraphErrorSignals & {
  /** Facebook's `type`, e.g. "OAuthException". */
  type: string | null;
  fbtraceId: string | null;
  /** Facebook's own `message`, with any credential removed. */
  facebookMessage: string | null;
  userTitle?: string;
  userMessage?: string;
  /** Overrides the classification (network failures and timeouts are `temporary`). */
  kind?: GraphErrorKind;
  /** The call may have taken effect although no answer came (see GraphApiError). */
  isOutcomeUnknown?: boolean;
};

/** The details of a failure where Facebook said nothing (no answer, or no Graph error body). */
export const NO_ANSWER_FROM_FACEBOOK = {
  httpStatus: null,
  code: null,
  subcode: null,
  type: null,
  fbtraceId: null,
  facebookMessage: null,
} as const satisfies GraphErrorDetails;

/**
 * A Graph API call that failed: Facebook answered with an error (also on HTTP 200), answered
 * something unreadable, or did not answer at all (network failure, timeout). The message never
 * contains the access token or the app secret.
 */
export class GraphApiError extends Error {
  /** `null` when no HTTP answer came (network failure, timeout). */
  readonly httpStatus: number | null;
  readonly code: number | null;
  readonly subcode: number | null;
  readonly type: string | null;
  readonly fbtraceId: string | null;
  readonly facebookMessage: string | null;
  readonly userTitle: string | undefined;
  readonly userMessage: string | undefined;
  readonly kind: GraphErrorKind;
  /** True for rate limits and temporary failures: try again later, with backoff. */
  readonly isRetryable: boolean;
  /**
   * True when the request may have reached Facebook and taken effect although no answer came
   * (a timeout or a dropped connection on a call that changes something). A message may have
   * been sent: look for its echo before sending again.
   */
  readonly isOutcomeUnknown: boolean;
  /** What to tell an operator or admin, one sentence. */
  readonly reason: string;

  constructor(details: GraphErrorDetails, message: string) {
    super(message);
    this.name = 'GraphApiError';
    this.httpStatus = details.httpStatus;
    this.code = details.code;
    this.subcode = details.subcode;
    this.type = details.type;
    this.fbtraceId = details.fbtraceId;
    this.facebookMessage = details.facebookMessage;
    this.userTitle = details.userTitle;
    this.userMessage = details.userMessage;
    this.kind = details.kind ?? classifyGraphError(details);
    this.isRetryable = RETRYABLE_KINDS.has(this.kind);
    this.isOutcomeUnknown = details.isOutcomeUnknown ?? false;
    this.reason = describeForOperator(this.kind, this.facebookMessage);
  }
}

/**
 * For an invalid parameter Facebook's own words say what was wrong ("No matching user
 * found"), so they are added to the sentence; the other kinds speak for themselves.
 */
function describeForOperator(kind: GraphErrorKind, facebookMessage: string | null): string {
  const reason = REASON_BY_KIND[kind];
  if (kind !== 'invalid_parameter' || !facebookMessage) return reason;
  const withoutCodePrefix = facebookMessage.replace(/^\(#\d+\)\s*/, '').replace(/\.?$/, '.');
  return `${reason.replace(/\.$/, ':')} ${withoutCodePrefix}`;
}
