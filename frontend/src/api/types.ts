// Types mirroring the public HTTP contract (docs/api.md). Ids are strings; dates are ISO strings.

/** reviewer: an operator of the demo tenant who may also open the App Review kit and simulator. */
export type UserRole = 'admin' | 'operator' | 'reviewer';

/** Who may open the App Review kit and the Messenger simulator (of a demo tenant only). */
export const REVIEW_KIT_ROLES: readonly UserRole[] = ['admin', 'reviewer'];

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
  /** The demo tenant (sandbox page) of a server running in demo mode. */
  demo: boolean;
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

/** PUT /api/me/password: 400 WRONG_PASSWORD, WEAK_PASSWORD or VALIDATION_FAILED. */
export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
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
  /** The demo's page: Omni's sandbox Graph API plays Facebook for it. */
  sandbox: boolean;
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

export type ConversationStatus = 'queued' | 'assigned' | 'closed';
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
export type MessageSource = 'visitor' | 'operator' | 'page_inbox' | 'automatic';
export type MessageKind =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'file'
  | 'location'
  | 'sticker'
  | 'fallback'
  | 'postback'
  | 'reaction'
  | 'referral'
  | 'other';

export interface Attachment {
  kind: string;
  /** Facebook's link; it expires after a while. */
  url: string | null;
  title: string | null;
  stickerId: string | null;
  coordinates: { lat: number; long: number } | null;
  /** Omni's own copy (a signed link); null until downloaded. Preferred over `url`. */
  fileUrl: string | null;
}

export interface Message {
  id: string;
  conversationId: string;
  direction: 'in' | 'out';
  kind: MessageKind;
  text: string | null;
  attachments: Attachment[];
  source: MessageSource;
  operatorId: string | null;
  /** Outbound delivery state; null for the visitor's messages. */
  status: MessageStatus | null;
  /** Why sending failed, in words an operator understands. */
  error: string | null;
  editedAt: string | null;
  details: Record<string, unknown>;
  /** The platform's time of the message: the history's order. */
  createdAt: string;
}

export interface ReplyWindow {
  /** End of the 24-hour window after the visitor's last message (null: never wrote). */
  closesAt: string | null;
  /** With the page's human-agent switch on: the 7-day limit. */
  humanAgentClosesAt: string | null;
  canReply: boolean;
}

export interface Conversation {
  id: string;
  status: ConversationStatus;
  departmentId: string | null;
  operatorId: string | null;
  channel: { type: 'facebook'; pageId: string; pageName: string };
  contact: {
    id: string;
    psid: string;
    name: string;
    avatarUrl: string | null;
    /** When this visitor first wrote to the page. */
    firstContactAt: string;
  };
  lastMessage: Message | null;
  lastInboundAt: string | null;
  replyWindow: ReplyWindow;
  queuedAt: string | null;
  assignedAt: string | null;
  closedAt: string | null;
  unreadCount: number;
}

export interface PageResponse<T> {
  items: T[];
  nextCursor: string | null;
}

export type ConversationEventType =
  'queued' | 'assigned' | 'taken' | 'transferred' | 'requeued' | 'closed';

export type ConversationEventReason =
  | 'new_conversation'
  | 'visitor_wrote'
  | 'automatic'
  | 'previous_operator'
  | 'manual'
  | 'transfer'
  | 'operator_offline'
  | 'connection_lost'
  | 'first_response_timeout';

/** One line of a conversation's queue history. */
export interface ConversationEvent {
  id: string;
  type: ConversationEventType;
  reason: ConversationEventReason;
  occurredAt: string;
  /** Who did it; null when Omni's dispatcher did. */
  actor: { id: string | null; name: string } | null;
  /** The operator it went to or came from. */
  operator: { id: string | null; name: string } | null;
  departmentId: string | null;
}

export interface DepartmentQueueFigures {
  /** null: pages without a department. */
  departmentId: string | null;
  waiting: number;
  oldestQueuedAt: string | null;
  inProgress: number;
  operatorsOnline: number;
  freeSlots: number;
}

export interface OperatorLoad {
  id: string;
  name: string;
  status: PresenceStatus;
  load: number;
  capacity: number;
  departmentIds: string[];
}

/** The live queue of the business. */
export interface QueueFigures {
  at: string;
  departments: DepartmentQueueFigures[];
  operators: OperatorLoad[];
}

/** Service figures over a period; shares are 0–1, null when nothing happened. */
export interface QueueStats {
  from: string;
  to: string;
  entered: number;
  assigned: number;
  /** Assigned within 20 s. */
  assignedWithinTarget: number | null;
  /** Answered by an operator within 60 s. */
  answeredWithinTarget: number | null;
  averageWaitSeconds: number | null;
  averageSpeedOfAnswerSeconds: number | null;
  averageHandlingSeconds: number | null;
  closedWhileWaiting: number;
  perOperator: { operatorId: string | null; name: string; chats: number }[];
}

export type TransferTarget = { operatorId: string } | { departmentId: string };

/**
 * Sent with each event: its number in the business's sequence and the sequence's epoch
 * (absent on snapshots). Another epoch than the panel's: the numbering restarted (Redis came
 * back empty), so the panel reloads.
 */
export interface EventMeta {
  seq?: number;
  epoch?: string;
}

/**
 * Events the server pushes over socket.io, each carrying the full changed record, and its
 * sequence number as a second argument.
 */
export interface ServerToClientEvents {
  'operator.updated': (user: User, meta?: EventMeta) => void;
  'conversation.updated': (conversation: Conversation, meta?: EventMeta) => void;
  'message.created': (message: Message, meta?: EventMeta) => void;
  'message.updated': (message: Message, meta?: EventMeta) => void;
  'queue.updated': (figures: QueueFigures) => void;
  /** A Facebook page was deleted with its conversations (`pageId`: their `channel.pageId`). */
  'page.deleted': (page: { id: string; pageId: string }, meta?: EventMeta) => void;
}

/** The answer to `resync`: what a reconnecting panel missed, or `complete: false` (reload). */
export interface Resync {
  complete: boolean;
  epoch: string;
  events: { seq: number; event: keyof ServerToClientEvents; payload: unknown }[];
}

/** Connection-level messages, apart from the records above. */
export interface RealtimeControlEvents {
  'realtime.ready': (ready: { seq: number; epoch: string }) => void;
}

export interface ClientToServerEvents {
  resync: (request: { after: number; epoch: string }, answer: (resync: Resync) => void) => void;
  /** Opened a conversation: its events reach this socket too (`ok: false` when not visible). */
  'conversation.watch': (
    request: { conversationId: string },
    answer: (result: { ok: boolean }) => void,
  ) => void;
  'conversation.unwatch': (request: { conversationId: string }) => void;
}

/** A seeded account of the demo tenant, shown on the login page and in the App Review kit. */
export interface DemoLogin {
  role: UserRole;
  name: string;
  email: string;
  password: string;
}

/** `GET /api/demo`: public; `logins` is empty when the server is not in demo mode. */
export interface DemoInfo {
  enabled: boolean;
  logins: DemoLogin[];
}

/** A made-up Messenger user the simulator writes as. */
export interface SimulatorPersona {
  id: string;
  name: string;
  avatarUrl: string;
}

export interface SimulatorSetup {
  /** The demo tenant's sandbox page. */
  page: { pageId: string; name: string };
  personas: SimulatorPersona[];
  quickReplies: { title: string; payload: string }[];
  sampleImages: { id: string; title: string; url: string }[];
}

/**
 * One message of the visitor's Messenger thread. `status` is only on the visitor's own messages:
 * sent = posted, delivered = Omni acknowledged the webhook, seen = an operator opened it.
 */
export interface SimulatorThreadItem {
  id: string;
  from: 'visitor' | 'page';
  text: string | null;
  imageUrl: string | null;
  at: string;
  status: 'sent' | 'delivered' | 'seen' | null;
}

export interface SimulatorThread {
  items: SimulatorThreadItem[];
  /** The page shows "typing…" right now. */
  typing: boolean;
}

/** What the visitor sends: a text, a sample image, or a quick reply (its title as the text). */
export interface SimulatorMessageInput {
  personaId: string;
  text?: string;
  imageId?: string;
  quickReplyPayload?: string;
}

/** The values the App Review kit's texts are filled in with. */
export interface ReviewKit {
  loginUrl: string;
  panelUrl: string;
  simulatorUrl: string;
  callbackUrl: string;
  pageName: string;
  logins: DemoLogin[];
}
