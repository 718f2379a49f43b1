import { randomBytes } from 'node:crypto';

/**
 * The error bodies the fake Graph API answers with, worded as Facebook words them (Meta's
 * "Common Error Codes" table, and bodies seen from the real API where the table is silent).
 * Tests hand these to `failNext` to make the fake fail the way Facebook would.
 */
export type GraphErrorSpec = {
  code: number;
  message: string;
  subcode?: number;
  /** Default "OAuthException", as for almost every Messenger error. */
  type?: string;
  /** Default 400: Facebook answers most errors with it. */
  httpStatus?: number;
  userTitle?: string;
  userMessage?: string;
};

/** Graph's error body: `{"error": {message, type, code, error_subcode?, …, fbtrace_id}}`. */
export type GraphErrorBody = {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_user_title?: string;
    error_user_msg?: string;
    fbtrace_id: string;
  };
};

export function toGraphErrorBody(spec: GraphErrorSpec): GraphErrorBody {
  return {
    error: {
      message: spec.message,
      type: spec.type ?? 'OAuthException',
      code: spec.code,
      ...(spec.subcode === undefined ? {} : { error_subcode: spec.subcode }),
      ...(spec.userTitle === undefined ? {} : { error_user_title: spec.userTitle }),
      ...(spec.userMessage === undefined ? {} : { error_user_msg: spec.userMessage }),
      fbtrace_id: randomBytes(17).toString('base64url'),
    },
  };
}

/** Thrown inside the fake's handlers; the router turns it into Graph's error answer. */
export class GraphErrorResponse extends Error {
  constructor(readonly spec: GraphErrorSpec) {
    super(spec.message);
    this.name = 'GraphErrorResponse';
  }
}

const METHOD_EXCEPTION = 'GraphMethodException';

/** Errors the fake raises by itself, and presets for `failNext`. */
export const fakeGraphErrors = {
  // Tokens and appsecret_proof
  tokenRequired: {
    code: 104,
    message: 'An access token is required to request this resource.',
  },
  invalidToken: {
    code: 190,
    message: 'Invalid OAuth access token - Cannot parse access token',
  },
  appNotAuthorized: (appId: string) => ({
    code: 190,
    subcode: 458,
    message: `Error validating access token: The user has not authorized application ${appId}.`,
  }),
  sessionInvalidated: {
    code: 190,
    subcode: 460,
    message:
      'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
  },
  sessionExpired: (expiredAt: Date) => ({
    code: 190,
    subcode: 463,
    message: `Error validating access token: Session has expired on ${expiredAt.toUTCString()}. The current time is ${new Date().toUTCString()}.`,
  }),
  invalidAppSecretProof: {
    code: 100,
    type: METHOD_EXCEPTION,
    message: 'Invalid appsecret_proof provided in the API argument',
  },
  appSecretProofRequired: {
    code: 100,
    type: METHOD_EXCEPTION,
    message: 'API calls from the server require an appsecret_proof argument',
  },

  // Paths, nodes and parameters
  unsupportedRequest: (method: string, objectId: string) => ({
    code: 100,
    subcode: 33,
    type: METHOD_EXCEPTION,
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  }),
  unknownPathComponents: (components: string) => ({
    code: 2500,
    message: `Unknown path components: ${components}`,
  }),
  nonexistingField: (field: string, nodeType: string) => ({
    code: 100,
    message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
  }),
  parameterRequired: (name: string) => ({
    code: 100,
    message: `(#100) The parameter ${name} is required`,
  }),
  parameterMustBeOneOf: (name: string, allowed: readonly string[]) => ({
    code: 100,
    message: `(#100) Param ${name} must be one of {${allowed.join(', ')}}`,
  }),
  lengthAtMost: (name: string, maximum: number) => ({
    code: 100,
    message: `(#100) Length of param ${name} must be less than or equal to ${maximum}`,
  }),
  /** What Facebook answers for a retired tag, or a tag without MESSAGE_TAG. */
  invalidParameter: { code: 100, message: '(#100) Invalid parameter' },

  // Send API
  noMatchingUser: { code: 100, subcode: 2018001, message: '(#100) No matching user found' },
  messageAndSenderActionTogether: {
    code: 100,
    subcode: 2018014,
    message: '(#100) Cannot send both message and state at the same time.',
  },
  messageOrSenderActionRequired: {
    code: 100,
    subcode: 2018015,
    message: '(#100) Must send either message or state',
  },
  textAndAttachmentTogether: {
    code: 100,
    subcode: 2018191,
    message: '(#100) Only one of the text, attachment, and dynamic_text fields can be specified',
  },
  emptyMessage: {
    code: 100,
    subcode: 2018034,
    message: '(#100) Message cannot be empty, must provide valid attachment or text',
  },
  attachmentFetchFailed: {
    code: 100,
    subcode: 2018008,
    message:
      '(#100) Failed to fetch the file from the url. Check that the URL is valid, with a valid SSL certificate, valid file size, and that the server is responding fast enough to avoid timeouts.',
  },
  attachmentNotOwned: {
    code: 100,
    subcode: 2018074,
    message: '(#100) Possible invalid ID or you do not own the attachment.',
  },
  outsideWindow: {
    code: 10,
    subcode: 2018278,
    message:
      '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
  },
  personUnavailable: {
    code: 551,
    subcode: 1545041,
    message: "(#551) This person isn't available right now.",
  },
  cannotReceiveNow: {
    code: 10,
    subcode: 2018108,
    message: "(#10) They can't receive your messages right now.",
  },
  pageRestricted: {
    code: 10,
    subcode: 1893063,
    message: '(#10) You are temporarily restricted from sending messages.',
  },
  pagesMessagingNotApproved: {
    code: 200,
    subcode: 2018028,
    message:
      '(#200) Cannot message users who are not admins, developers or testers of the app until pages_messaging permission is reviewed and the app is live.',
  },
  threadControlledByOtherApp: {
    code: 10,
    subcode: 2018300,
    message: '(#10) Message failed to send because another app is controlling this thread now.',
  },
  /**
   * A handover call the app may not make (a secondary taking a thread another app controls,
   * passing a thread it does not control): Graph's generic code 10 (inference: Meta's
   * handover pages list no dedicated code for it).
   */
  threadControlNotPermitted: {
    code: 10,
    message: '(#10) Application does not have permission for this action',
  },
  rateLimited: { code: 613, message: '(#613) Calls to this api have exceeded the rate limit.' },
  temporaryFailure: {
    code: 2,
    httpStatus: 500,
    message: 'An unexpected error has occurred. Please retry your request later.',
  },

  // User Profile API
  noProfile: { code: 100, subcode: 2018218, message: '(#100) No profile available for this user.' },
  insufficientProfilePermission: {
    code: 100,
    subcode: 2018247,
    message: '(#100) Insufficient permission to access user profile.',
  },
} satisfies Record<string, GraphErrorSpec | ((...args: never[]) => GraphErrorSpec)>;
