import { createHmac } from 'node:crypto';
import { z } from 'zod';
import {
  type GraphClient,
  type PageCredentials,
  type PageIdentity,
  type SenderAction,
  type ThreadControlRequest,
  type TokenApp,
  type TokenDebugInfo,
  type SendMessageRequest,
  type UserProfile,
} from './graph-client.js';
import { GraphApiError, NO_ANSWER_FROM_FACEBOOK } from './graph-errors.js';
import { SecretRedactor } from './secret-redactor.js';

export type FetchGraphClientOptions = {
  /** Where the Graph API lives, without the version: config.facebookGraphUrl. */
  baseUrl: string;
  /** The Graph API version, e.g. "v25.0": config.facebookGraphVersion. */
  version: string;
  /** How long one call may take, reading the answer included. */
  timeoutMs?: number;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
};

const DEFAULT_TIMEOUT_MS = 10_000;

/** "No profile available for this user" and "Insufficient permission to access user profile". */
const NO_PROFILE_ACCESS_SUBCODES = new Set([2018218, 2018247]);

/**
 * Failures that happen before the request leaves this machine: nothing reached Facebook, so
 * the outcome is known (nothing happened). Any other dropped connection may come after.
 */
const BEFORE_SENDING_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** appsecret_proof: hex(HMAC-SHA256(key = app secret, message = access token)). */
export function computeAppSecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}

type GraphRequest = {
  method: 'GET' | 'POST' | 'DELETE';
  /** After the version, e.g. "/me/messages". */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Made with this app token (`appId|appSecret`) instead of the page token, without a proof. */
  appToken?: string;
};

const pageIdentitySchema = z.object({ id: z.string(), name: z.string() });
const tokenAppSchema = z.object({ id: z.string(), name: z.string().default('') });
const debugTokenSchema = z.object({
  data: z.object({
    is_valid: z.boolean(),
    scopes: z.array(z.string()).default([]),
    error: z
      .object({
        code: z.number().optional(),
        subcode: z.number().optional(),
        message: z.string().optional(),
      })
      .optional(),
  }),
});
const successSchema = z.object({ success: z.literal(true) });
const subscribedAppsSchema = z.object({
  data: z.array(z.object({ subscribed_fields: z.array(z.string()).default([]) })),
});
const userProfileSchema = z.object({
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  profile_pic: z.string().optional(),
});
const sendMessageResultSchema = z.object({ recipient_id: z.string(), message_id: z.string() });
const senderActionResultSchema = z.object({ recipient_id: z.string() });

/**
 * The Graph API over HTTP. Every call carries the page token as `access_token` and its
 * `appsecret_proof`, so pages whose app requires the proof work too. Failures of any sort
 * become GraphApiError; neither the token nor the app secret ever appears in one.
 */
export class FetchGraphClient implements GraphClient {
  private readonly baseUrl: string;
  private readonly version: string;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(options: FetchGraphClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.version = options.version;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async getPageIdentity(credentials: PageCredentials): Promise<PageIdentity> {
    const page = await this.call(
      { method: 'GET', path: '/me', query: { fields: 'id,name' } },
      credentials,
      pageIdentitySchema,
    );
    return { id: page.id, name: page.name };
  }

  async getTokenApp(credentials: PageCredentials): Promise<TokenApp> {
    const app = await this.call({ method: 'GET', path: '/app' }, credentials, tokenAppSchema);
    return { id: app.id, name: app.name };
  }

  async debugToken(credentials: PageCredentials, appId: string): Promise<TokenDebugInfo> {
    const { data } = await this.call(
      {
        method: 'GET',
        path: '/debug_token',
        query: { input_token: credentials.accessToken },
        appToken: `${appId}|${credentials.appSecret}`,
      },
      credentials,
      debugTokenSchema,
    );
    return {
      isValid: data.is_valid,
      scopes: data.scopes,
      error: data.error
        ? {
            code: data.error.code ?? null,
            subcode: data.error.subcode ?? null,
            message: data.error.message ?? null,
          }
        : null,
    };
  }

  async subscribePage(
    pageId: string,
    credentials: PageCredentials,
    fields: readonly string[],
  ): Promise<void> {
    await this.call(
      {
        method: 'POST',
        path: `/${encodeURIComponent(pageId)}/subscribed_apps`,
        query: { subscribed_fields: fields.join(',') },
      },
      credentials,
      successSchema,
    );
  }

  async getSubscribedFields(pageId: string, credentials: PageCredentials): Promise<string[]> {
    const { data } = await this.call(
      { method: 'GET', path: `/${encodeURIComponent(pageId)}/subscribed_apps` },
      credentials,
      subscribedAppsSchema,
    );
    return data[0]?.subscribed_fields ?? [];
  }

  async getUserProfile(psid: string, credentials: PageCredentials): Promise<UserProfile> {
    try {
      const profile = await this.call(
        {
          method: 'GET',
          path: `/${encodeURIComponent(psid)}`,
          query: { fields: 'first_name,last_name,profile_pic' },
        },
        credentials,
        userProfileSchema,
      );
      return {
        firstName: profile.first_name ?? null,
        lastName: profile.last_name ?? null,
        profilePicUrl: profile.profile_pic ?? null,
      };
    } catch (error) {
      // Profile access is a feature the page may lack; a missing name is not a failure.
      if (isNoProfileAccess(error)) return { firstName: null, lastName: null, profilePicUrl: null };
      throw error;
    }
  }

  async sendMessage(
    request: SendMessageRequest,
    credentials: PageCredentials,
  ): Promise<{ messageId: string }> {
    const result = await this.call(
      {
        method: 'POST',
        path: '/me/messages',
        body: {
          recipient: { id: request.recipientPsid },
          messaging_type: request.messagingType,
          ...(request.messagingType === 'MESSAGE_TAG' ? { tag: request.tag } : {}),
          message: request.message,
        },
      },
      credentials,
      sendMessageResultSchema,
    );
    return { messageId: result.message_id };
  }

  async sendSenderAction(
    psid: string,
    action: SenderAction,
    credentials: PageCredentials,
  ): Promise<void> {
    await this.call(
      {
        method: 'POST',
        path: '/me/messages',
        body: { recipient: { id: psid }, sender_action: action },
      },
      credentials,
      senderActionResultSchema,
    );
  }

  async passThreadControl(
    request: ThreadControlRequest & { targetAppId: string },
    credentials: PageCredentials,
  ): Promise<void> {
    await this.threadControlCall('/me/pass_thread_control', request, credentials, {
      target_app_id: request.targetAppId,
    });
  }

  async requestThreadControl(
    request: ThreadControlRequest,
    credentials: PageCredentials,
  ): Promise<void> {
    await this.threadControlCall('/me/request_thread_control', request, credentials);
  }

  async takeThreadControl(
    request: ThreadControlRequest,
    credentials: PageCredentials,
  ): Promise<void> {
    await this.threadControlCall('/me/take_thread_control', request, credentials);
  }

  /** The handover protocol's calls share their shape: recipient, metadata, `{success: true}`. */
  private async threadControlCall(
    path: string,
    request: ThreadControlRequest,
    credentials: PageCredentials,
    extra: Record<string, string> = {},
  ): Promise<void> {
    await this.call(
      {
        method: 'POST',
        path,
        body: {
          recipient: { id: request.recipientPsid },
          ...extra,
          ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
        },
      },
      credentials,
      successSchema,
    );
  }

  /** One call: sends it, reads the answer, turns every kind of failure into GraphApiError. */
  private async call<T>(
    request: GraphRequest,
    credentials: PageCredentials,
    resultSchema: z.ZodType<T>,
  ): Promise<T> {
    const endpoint = `${request.method} ${request.path}`;
    const proof = computeAppSecretProof(credentials.accessToken, credentials.appSecret);
    const secrets = new SecretRedactor([
      credentials.accessToken,
      credentials.appSecret,
      proof,
      ...(request.appToken ? [request.appToken] : []),
    ]);
    const query = new URLSearchParams({
      ...request.query,
      ...(request.appToken
        ? { access_token: request.appToken }
        : { access_token: credentials.accessToken, appsecret_proof: proof }),
    });
    const url = `${this.baseUrl}/${this.version}${request.path}?${query.toString()}`;

    let httpStatus: number;
    let responseText: string;
    try {
      const response = await this.fetch(url, {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      httpStatus = response.status;
      responseText = await response.text();
    } catch (error) {
      throw this.toTransportError(error, request, secrets);
    }

    const body = parseJson(responseText);
    // Facebook sometimes reports an error with HTTP 200: the `error` key decides, not the status.
    const facebookError = readFacebookError(body);
    if (facebookError) {
      const facebookMessage = secrets.redact(facebookError.message);
      throw new GraphApiError(
        {
          httpStatus,
          code: facebookError.code,
          subcode: facebookError.subcode,
          type: facebookError.type,
          fbtraceId: facebookError.fbtraceId,
          facebookMessage,
          userTitle: facebookError.userTitle && secrets.redact(facebookError.userTitle),
          userMessage: facebookError.userMessage && secrets.redact(facebookError.userMessage),
        },
        `Graph API ${endpoint} failed: ${facebookMessage ?? 'no message'} ` +
          `(HTTP ${httpStatus}, code ${facebookError.code ?? '-'}, ` +
          `subcode ${facebookError.subcode ?? '-'}, fbtrace_id ${facebookError.fbtraceId ?? '-'})`,
      );
    }
    const parsed = httpStatus >= 200 && httpStatus < 300 ? resultSchema.safeParse(body) : null;
    if (parsed?.success) return parsed.data;
    throw new GraphApiError(
      {
        ...NO_ANSWER_FROM_FACEBOOK,
        httpStatus,
        // No Graph error body: a 2xx in an odd shape, or a gateway's 5xx, may still mean that
        // Facebook did the work.
        isOutcomeUnknown: request.method !== 'GET' && (httpStatus < 300 || httpStatus >= 500),
      },
      `Graph API ${endpoint} answered HTTP ${httpStatus} with an unexpected body`,
    );
  }

  private toTransportError(
    error: unknown,
    request: GraphRequest,
    secrets: SecretRedactor,
  ): GraphApiError {
    const endpoint = `${request.method} ${request.path}`;
    const changesSomething = request.method !== 'GET';
    if (error instanceof Error && error.name === 'TimeoutError') {
      return new GraphApiError(
        { ...NO_ANSWER_FROM_FACEBOOK, kind: 'temporary', isOutcomeUnknown: changesSomething },
        `Graph API ${endpoint} did not answer within ${this.timeoutMs} ms`,
      );
    }
    const networkCode = readNetworkErrorCode(error);
    const reachedFacebook = networkCode === null || !BEFORE_SENDING_ERROR_CODES.has(networkCode);
    const description = networkCode ?? (error instanceof Error ? error.message : String(error));
    return new GraphApiError(
      {
        ...NO_ANSWER_FROM_FACEBOOK,
        kind: 'temporary',
        isOutcomeUnknown: changesSomething && reachedFacebook,
      },
      `Graph API ${endpoint} failed on the network: ${secrets.redact(description)}`,
    );
  }
}

function isNoProfileAccess(error: unknown): boolean {
  return (
    error instanceof GraphApiError &&
    error.code === 100 &&
    error.subcode !== null &&
    NO_PROFILE_ACCESS_SUBCODES.has(error.subcode)
  );
}

type FacebookError = {
  message: string | null;
  type: string | null;
  code: number | null;
  subcode: number | null;
  userTitle: string | undefined;
  userMessage: string | undefined;
  fbtraceId: string | null;
};

/** Reads Graph's `{"error": {…}}`, field by field: a field of an odd type is left out. */
function readFacebookError(body: unknown): FacebookError | null {
  if (!isRecord(body) || !isRecord(body['error'])) return null;
  const error = body['error'];
  return {
    message: stringOrNull(error['message']),
    type: stringOrNull(error['type']),
    code: numberOrNull(error['code']),
    subcode: numberOrNull(error['error_subcode']),
    userTitle: stringOrNull(error['error_user_title']) ?? undefined,
    userMessage: stringOrNull(error['error_user_msg']) ?? undefined,
    fbtraceId: stringOrNull(error['fbtrace_id']),
  };
}

/** undici puts the system error ("ECONNREFUSED", "UND_ERR_SOCKET") in `cause.code`. */
function readNetworkErrorCode(error: unknown): string | null {
  for (let current = error; isRecord(current); current = current['cause']) {
    if (typeof current['code'] === 'string') return current['code'];
  }
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}
