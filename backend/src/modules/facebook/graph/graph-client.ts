/**
 * The Graph API calls Omni makes, as a typed interface. The real implementation
 * (FetchGraphClient) talks HTTP to FACEBOOK_GRAPH_URL; tests point that URL at the fake
 * Graph server in modules/fake-graph. Facts: ../../../../../../shared/docs/messenger-platform.md.
 */

/** The credentials of one page: every call is made with the page token and its app secret. */
export type PageCredentials = {
  accessToken: string;
  /** Used for appsecret_proof = hex(HMAC-SHA256(key = appSecret, message = accessToken)). */
  appSecret: string;
};

export type PageIdentity = { id: string; name: string };

/** The app a token belongs to (`GET /app`). */
export type TokenApp = { id: string; name: string };

/** What `debug_token` says of a page token; `error` when it is not valid. */
export type TokenDebugInfo = {
  isValid: boolean;
  scopes: string[];
  error: { code: number | null; subcode: number | null; message: string | null } | null;
};

/** The permissions a Messenger inbox needs its page token to have (Page health checks them). */
export const REQUIRED_PERMISSIONS = [
  'pages_messaging',
  'pages_manage_metadata',
  'pages_read_engagement',
  'pages_show_list',
] as const;

export type UserProfile = {
  firstName: string | null;
  lastName: string | null;
  profilePicUrl: string | null;
};

/**
 * One Send API message. A tag goes only with `MESSAGE_TAG` (anything else is error 100), and
 * HUMAN_AGENT is the only tag Omni may use: the others are retired or meant for automation.
 */
export type SendMessageRequest = {
  recipientPsid: string;
  message:
    | {
        text: string;
        metadata?: string;
        /** Buttons under the text; a tap comes back as a message with their payload. */
        quick_replies?: { content_type: 'text'; title: string; payload: string }[];
      }
    | {
        attachment: {
          type: 'image' | 'audio' | 'video' | 'file';
          payload: { url: string; is_reusable?: boolean } | { attachment_id: string };
        };
        metadata?: string;
      };
} & (
  | { messagingType: 'RESPONSE' | 'UPDATE'; tag?: never }
  | { messagingType: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }
);

export type SenderAction = 'typing_on' | 'typing_off' | 'mark_seen';

/** The message fields Omni subscribes each page to (POST /{page-id}/subscribed_apps). */
export const SUBSCRIBED_FIELDS = [
  'messages',
  'messaging_postbacks',
  'message_deliveries',
  'message_reads',
  'message_echoes',
  'message_reactions',
  'messaging_referrals',
  'messaging_optins',
  'message_edits',
] as const;

/** What the handover protocol adds, for pages where Omni is secondary receiver beside a bot. */
export const HANDOVER_SUBSCRIBED_FIELDS = ['messaging_handovers', 'standby'] as const;

/** The fields a page is subscribed to: the handover ones too when it uses the protocol. */
export function subscribedFieldsFor(page: { handoverEnabled: boolean }): readonly string[] {
  return page.handoverEnabled
    ? [...SUBSCRIBED_FIELDS, ...HANDOVER_SUBSCRIBED_FIELDS]
    : SUBSCRIBED_FIELDS;
}

/** A handover protocol call about one visitor's thread, with the note other apps receive. */
export type ThreadControlRequest = { recipientPsid: string; metadata?: string };

/** Every method throws GraphApiError (./graph-errors.ts) when the call fails. */
export interface GraphClient {
  /** GET /{v}/me?fields=id,name with the page token: who the token belongs to. */
  getPageIdentity(credentials: PageCredentials): Promise<PageIdentity>;
  /** GET /{v}/app with the page token: the app the token was issued to. */
  getTokenApp(credentials: PageCredentials): Promise<TokenApp>;
  /**
   * GET /{v}/debug_token?input_token=<page token> with the app token `appId|appSecret`: whether
   * the token is valid and what it was granted. A dead token is an answer here, not an error.
   */
  debugToken(credentials: PageCredentials, appId: string): Promise<TokenDebugInfo>;
  /** POST /{v}/{pageId}/subscribed_apps?subscribed_fields=… (the fields of `subscribedFieldsFor`). */
  subscribePage(
    pageId: string,
    credentials: PageCredentials,
    fields: readonly string[],
  ): Promise<void>;
  /**
   * GET /{v}/{pageId}/subscribed_apps: the fields this app receives for the page ([] when not
   * subscribed). The page token belongs to this app, so (inference) Facebook lists only it.
   */
  getSubscribedFields(pageId: string, credentials: PageCredentials): Promise<string[]>;
  /**
   * GET /{v}/{psid}?fields=first_name,last_name,profile_pic. Missing profile access (an empty
   * answer, or error 100 with subcode 2018218 / 2018247) gives nulls rather than an error.
   */
  getUserProfile(psid: string, credentials: PageCredentials): Promise<UserProfile>;
  /** POST /{v}/me/messages → the message id ("m_…"), the `mid` its echo will carry. */
  sendMessage(
    request: SendMessageRequest,
    credentials: PageCredentials,
  ): Promise<{ messageId: string }>;
  /** POST /{v}/me/messages with sender_action alone. */
  sendSenderAction(psid: string, action: SenderAction, credentials: PageCredentials): Promise<void>;
  /**
   * POST /{v}/me/pass_thread_control {recipient: {id}, target_app_id, metadata} → {success}:
   * hands the thread to another app (the primary's app id, or the Page Inbox).
   */
  passThreadControl(
    request: ThreadControlRequest & { targetAppId: string },
    credentials: PageCredentials,
  ): Promise<void>;
  /**
   * POST /{v}/me/request_thread_control {recipient: {id}, metadata} → {success}: asks the
   * primary app for the thread; it answers by passing it (a messaging_handovers event) or not.
   */
  requestThreadControl(request: ThreadControlRequest, credentials: PageCredentials): Promise<void>;
  /**
   * POST /{v}/me/take_thread_control {recipient: {id}, metadata} → {success}: a secondary
   * app may take an idle thread only; the primary may take any.
   */
  takeThreadControl(request: ThreadControlRequest, credentials: PageCredentials): Promise<void>;
}

/** What sending replies needs of the Graph API: the Send API alone. */
export type SendApi = Pick<GraphClient, 'sendMessage'>;
