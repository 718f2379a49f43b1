// Types mirroring the public HTTP contract (docs/api.md). Ids are strings; dates are ISO strings.

export type UserRole = 'admin' | 'operator';

/** online = receives new chats; away = keeps current chats, gets no new ones; offline = neither. */
export type PresenceStatus = 'online' | 'away' | 'offline';

export const PRESENCE_STATUSES: readonly PresenceStatus[] = ['online', 'away', 'offline'];

export interface User {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  status: PresenceStatus;
  /** null means "use the tenant's defaultMaxChats". */
  maxChats: number | null;
  departmentIds: string[];
  createdAt: string;
}

export interface Tenant {
  id: string;
  name: string;
  /** Unguessable public id used in the webhook callback URL. */
  key: string;
  callbackUrl: string;
  defaultMaxChats: number;
  /** An automatically assigned chat unanswered this long goes to someone else; null: off. */
  firstResponseTimeoutSeconds: number | null;
  /** Language of the automatic messages to visitors. */
  language: 'en' | 'ru' | 'bn';
  queueNoticeEnabled: boolean;
  offlineNoticeEnabled: boolean;
}

export interface Department {
  id: string;
  name: string;
  operatorCount: number;
  createdAt: string;
}

export interface ListResponse<T> {
  items: T[];
}

export interface SessionResponse {
  token: string;
  user: User;
  tenant: Tenant;
}

export interface MeResponse {
  user: User;
  tenant: Tenant;
}

export interface SignupInput {
  tenantName: string;
  name: string;
  email: string;
  password: string;
}

export interface LoginInput {
  email: string;
  password: string;
}

export interface DepartmentInput {
  name: string;
}

export interface OperatorCreateInput {
  email: string;
  name: string;
  password: string;
  role: UserRole;
  departmentIds: string[];
  maxChats: number | null;
}

/** PATCH accepts any subset; a missing password keeps the current one. */
export type OperatorUpdateInput = Partial<OperatorCreateInput>;

export interface TenantUpdateInput {
  name?: string;
  defaultMaxChats?: number;
  firstResponseTimeoutSeconds?: number | null;
  language?: 'en' | 'ru' | 'bn';
  queueNoticeEnabled?: boolean;
  offlineNoticeEnabled?: boolean;
}

/** How far a page's setup has got; the panel turns each step green as it happens. */
export interface FacebookPageStatus {
  /** Facebook accepted the page access token the last time Omni used it. */
  tokenValid: boolean;
  /** When Facebook last completed the webhook handshake (GET with the confirmation code). */
  webhookVerifiedAt: string | null;
  /** The page is subscribed to the app, so Facebook sends its messages. */
  subscribed: boolean;
  /** When the last webhook event of this page arrived. */
  lastEventAt: string | null;
  /** The last problem Omni met with this page, in Facebook's or Omni's words. */
  lastError: string | null;
}

/** A connected Facebook page (a Messenger channel). Secrets are never returned, only hints. */
export interface FacebookPage {
  id: string;
  /** The admin's own label. */
  name: string;
  /** Facebook's page id, resolved from the token. */
  pageId: string;
  /** The page's name on Facebook. */
  pageName: string;
  /** null: any operator may get its chats. */
  departmentId: string | null;
  active: boolean;
  /** Operators may reply up to 7 days after the visitor's last message (HUMAN_AGENT tag). */
  humanAgentEnabled: boolean;
  callbackUrl: string;
  /** The confirmation code (verify token) of the webhook handshake. */
  verifyToken: string;
  /** Last characters of the access token. */
  accessTokenHint: string;
  /** Last characters of the app secret. */
  appSecretHint: string;
  status: FacebookPageStatus;
  createdAt: string;
}

export interface FacebookPageCreateInput {
  name: string;
  accessToken: string;
  /** Omitted: the server generates one. */
  verifyToken?: string;
  appSecret: string;
  departmentId: string | null;
  humanAgentEnabled?: boolean;
}

/** PATCH accepts any subset; a missing token or secret keeps the current one. */
export type FacebookPageUpdateInput = Partial<FacebookPageCreateInput> & { active?: boolean };

/** The error body every 4xx/5xx response carries. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: Record<string, unknown>;
  };
}

/** Sent with each event: its number in the business's sequence (absent on snapshots). */
export interface EventMeta {
  seq?: number;
}

/**
 * Events the server pushes over socket.io, each carrying the full changed record, and its
 * sequence number as a second argument.
 */
export interface ServerToClientEvents {
  'operator.updated': (user: User, meta?: EventMeta) => void;
}

/** The answer to `resync`: what a reconnecting panel missed, or `complete: false` (reload). */
export interface Resync {
  complete: boolean;
  events: { seq: number; event: keyof ServerToClientEvents; payload: unknown }[];
}

/** Connection-level messages, apart from the records above. */
export interface RealtimeControlEvents {
  'realtime.ready': (ready: { seq: number }) => void;
}

export interface ClientToServerEvents {
  resync: (request: { after: number }, answer: (resync: Resync) => void) => void;
  /** Opened a conversation: its events reach this socket too (`ok: false` when not visible). */
  'conversation.watch': (
    request: { conversationId: string },
    answer: (result: { ok: boolean }) => void,
  ) => void;
  'conversation.unwatch': (request: { conversationId: string }) => void;
}
