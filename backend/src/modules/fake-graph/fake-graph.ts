import { randomInt } from 'node:crypto';
import { fakeGraphErrors, type GraphErrorSpec } from './fake-graph-errors.js';

/**
 * The state of the fake Graph API and the controls tests use: which pages and visitors exist,
 * what Omni asked for, and what should fail next. HTTP lives in fake-graph-router.ts.
 */

/** A Facebook Page that the fake knows, with the token and app that speak for it. */
export type FakePage = {
  pageId: string;
  name: string;
  accessToken: string;
  appSecret: string;
  appId: string;
  appName: string;
  /** "Require App Secret": calls without appsecret_proof fail. A wrong proof always fails. */
  requireAppSecretProof: boolean;
  /** The permissions the token was granted, as `debug_token` lists them. */
  scopes: string[];
  /**
   * The page's primary receiver under the handover protocol (a bot's app), or null: no
   * primary, threads are idle until an app takes them.
   */
  primaryAppId: string | null;
};

export type RegisterPageInput = Pick<FakePage, 'pageId' | 'name' | 'accessToken' | 'appSecret'> &
  Partial<
    Pick<FakePage, 'appId' | 'appName' | 'requireAppSecretProof' | 'scopes' | 'primaryAppId'>
  >;

/** What a page token is granted when a test does not say: everything a Messenger inbox needs. */
export const FAKE_PAGE_TOKEN_SCOPES = [
  'pages_messaging',
  'pages_manage_metadata',
  'pages_read_engagement',
  'pages_show_list',
] as const;

/**
 * How the User Profile API answers for a visitor: the profile, `{}` (no access), or error 100
 * with subcode 2018218 / 2018247.
 */
export type ProfileAccess = 'full' | 'empty' | 'no_profile' | 'insufficient_permission';

/** A visitor (PSID) who has written to a page; only they can be messaged or looked up. */
export type FakeUser = {
  pageId: string;
  psid: string;
  firstName: string | null;
  lastName: string | null;
  profilePic: string | null;
  profileAccess: ProfileAccess;
};

export type RegisterUserInput = Pick<FakeUser, 'pageId' | 'psid'> &
  Partial<Omit<FakeUser, 'pageId' | 'psid'>>;

/** One HTTP call as the fake received it. */
export type RecordedRequest = {
  method: string;
  /** The Graph version from the path, e.g. "v25.0". */
  version: string;
  /** The path after the version, e.g. "/me/messages". */
  path: string;
  query: Record<string, string>;
  body: unknown;
  at: Date;
};

/** A message the Send API accepted. */
export type SentMessage = {
  pageId: string;
  recipientId: string;
  messageId: string;
  messagingType: string;
  tag: string | null;
  /** The `message` object exactly as sent. */
  message: Record<string, unknown>;
  text: string | null;
  metadata: string | null;
  at: Date;
};

export type SentSenderAction = { pageId: string; recipientId: string; action: string; at: Date };

/** Which calls a failure applies to; both parts optional, both must match. */
export type RequestMatcher = {
  method?: string;
  /** Compared with the path after the version ("/me/messages"); a RegExp is tested on it. */
  path?: string | RegExp;
};

/**
 * How a matching call fails: a Graph error, a raw answer (e.g. an error body with HTTP 200),
 * no answer at all ("timeout": the call is not carried out; "timeout-after-processing": it
 * is, then the fake stays silent, as when Facebook sent the message but the answer was lost),
 * or a dropped connection ("network").
 */
export type FakeGraphFailure =
  | GraphErrorSpec
  | { httpStatus: number; body: unknown }
  | 'timeout'
  | 'timeout-after-processing'
  | 'network';

/** Why a token stopped working; each gives Facebook's 190 subcode for it. */
export type TokenRevocation = 'password_changed' | 'expired' | 'app_removed';

type FailureRule = { matcher: RequestMatcher; failure: FakeGraphFailure; remaining: number };

/** The Page Inbox's app id: passing a thread to it hands the visitor to the page's people. */
export const FAKE_PAGE_INBOX_APP_ID = '263902037430900';

/** One `messaging_handovers` item (`entry[].messaging[]`) and the app Facebook sends it to. */
export type HandoverEvent = { deliverTo: string; item: Record<string, unknown> };

/** Recordings keep the latest this many entries each: in demo mode the fake runs for days. */
const RECORD_LIMIT = 10_000;

/** The app the fake pretends Omni is when a page is registered without one. */
export const FAKE_APP = { appId: '100000000000001', appName: 'Omni' } as const;

/** A file on the fake's CDN, as attachment links point at: bytes, or a redirect elsewhere. */
export type FakeCdnFile = { content: Buffer; contentType: string } | { redirectTo: string };

export class FakeGraph {
  private readonly pages = new Map<string, FakePage>();
  private readonly users = new Map<string, FakeUser>();
  private readonly revokedTokens = new Map<string, GraphErrorSpec>();
  private readonly subscriptions = new Map<string, string[]>();
  private readonly attachmentOwners = new Map<string, string>();
  private readonly cdnFiles = new Map<string, FakeCdnFile>();
  private readonly cdnDownloads = new Map<string, number>();
  /** page:psid → the app that controls the thread; absent: idle. */
  private readonly threadOwners = new Map<string, string>();
  private recordedHandovers: HandoverEvent[] = [];
  private failureRules: FailureRule[] = [];
  private recordedRequests: RecordedRequest[] = [];
  private recordedMessages: SentMessage[] = [];
  private recordedSenderActions: SentSenderAction[] = [];
  private latency = 0;

  // ---- Controls -------------------------------------------------------------------------

  registerPage(input: RegisterPageInput): FakePage {
    const page: FakePage = {
      ...FAKE_APP,
      requireAppSecretProof: false,
      scopes: [...FAKE_PAGE_TOKEN_SCOPES],
      primaryAppId: null,
      ...input,
    };
    this.pages.set(page.pageId, page);
    return page;
  }

  /** The permissions the page's token has from now on (a person withdrew or granted one). */
  setScopes(pageId: string, scopes: string[]): void {
    const page = this.pages.get(pageId);
    if (!page) throw new Error(`The fake knows no page ${pageId}`);
    page.scopes = [...scopes];
  }

  registerUser(input: RegisterUserInput): FakeUser {
    const user: FakeUser = {
      firstName: null,
      lastName: null,
      profilePic: null,
      profileAccess: 'full',
      ...input,
    };
    this.users.set(userKey(user.pageId, user.psid), user);
    return user;
  }

  /** The page's primary receiver from now on (a bot's app id), or none. */
  setPrimaryApp(pageId: string, appId: string | null): void {
    const page = this.pages.get(pageId);
    if (!page) throw new Error(`The fake knows no page ${pageId}`);
    page.primaryAppId = appId;
  }

  /**
   * Another app (the primary bot a test plays) passes the visitor's thread to `to`, as its
   * own pass_thread_control call would: the thread changes owner, and the event for the new
   * owner is returned (and recorded) for the test to deliver, signed, to its webhook.
   */
  passThreadAsApp(pass: {
    pageId: string;
    psid: string;
    from: string;
    to: string;
    metadata?: string;
  }): HandoverEvent | null {
    const page = this.pages.get(pass.pageId);
    if (!page) throw new Error(`The fake knows no page ${pass.pageId}`);
    const owner = this.threadOwner(pass.pageId, pass.psid);
    if (owner !== null && owner !== pass.from) {
      throw new Error(`App ${pass.from} does not control the thread (${owner} does)`);
    }
    return this.passThread(page, pass);
  }

  /** `messaging_handovers` events the fake has caused, oldest first (for `deliverTo`, or all). */
  handoverEvents(deliverTo?: string): HandoverEvent[] {
    return this.recordedHandovers.filter((event) => !deliverTo || event.deliverTo === deliverTo);
  }

  /** From now on the token fails with code 190 and the subcode of the reason. */
  revokeToken(token: string, reason: TokenRevocation = 'password_changed'): void {
    const page = this.findPageByToken(token);
    const errorByReason: Record<TokenRevocation, GraphErrorSpec> = {
      password_changed: fakeGraphErrors.sessionInvalidated,
      expired: fakeGraphErrors.sessionExpired(new Date(Date.now() - 60_000)),
      app_removed: fakeGraphErrors.appNotAuthorized(page?.appId ?? FAKE_APP.appId),
    };
    this.revokedTokens.set(token, errorByReason[reason]);
  }

  /** The revoked token works again (in life a new token would; tests reuse the old one). */
  restoreToken(token: string): void {
    this.revokedTokens.delete(token);
  }

  /** The next `times` calls that match fail as told; later calls behave normally again. */
  failNext(matcher: RequestMatcher, failure: FakeGraphFailure, times = 1): void {
    this.failureRules.push({ matcher, failure, remaining: times });
  }

  /** Every answer waits this long first. */
  setLatency(milliseconds: number): void {
    this.latency = milliseconds;
  }

  requests(): RecordedRequest[] {
    return [...this.recordedRequests];
  }

  sentMessages(pageId?: string): SentMessage[] {
    return this.recordedMessages.filter((message) => !pageId || message.pageId === pageId);
  }

  sentSenderActions(pageId?: string): SentSenderAction[] {
    return this.recordedSenderActions.filter((action) => !pageId || action.pageId === pageId);
  }

  /** The fields the page is subscribed to ([] when it is not). */
  subscribedFields(pageId: string): string[] {
    return [...(this.subscriptions.get(pageId) ?? [])];
  }

  /** Forgets recorded calls and pending failures, and drops the latency. Pages and users stay. */
  clear(): void {
    this.recordedRequests = [];
    this.recordedMessages = [];
    this.recordedSenderActions = [];
    this.recordedHandovers = [];
    this.failureRules = [];
    this.latency = 0;
  }

  /** Puts a file on the fake CDN under `name` (FakeGraphServer.cdnUrl gives its link). */
  publishCdnFile(name: string, file: FakeCdnFile): void {
    this.cdnFiles.set(name, file);
  }

  /** How many times the CDN file `name` was asked for. */
  cdnDownloadCount(name: string): number {
    return this.cdnDownloads.get(name) ?? 0;
  }

  // ---- Used by the router ---------------------------------------------------------------

  takeCdnFile(name: string): FakeCdnFile | undefined {
    this.cdnDownloads.set(name, this.cdnDownloadCount(name) + 1);
    return this.cdnFiles.get(name);
  }

  get latencyMs(): number {
    return this.latency;
  }

  record(request: RecordedRequest): void {
    pushBounded(this.recordedRequests, request);
  }

  /** The failure for this call, if a rule matches; using it counts it down. */
  takeFailure(method: string, path: string): FakeGraphFailure | undefined {
    const rule = this.failureRules.find((candidate) => matches(candidate.matcher, method, path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.failureRules = this.failureRules.filter((kept) => kept !== rule);
    return rule.failure;
  }

  findPageByToken(token: string): FakePage | undefined {
    return [...this.pages.values()].find((page) => page.accessToken === token);
  }

  findPageByAppToken(appToken: string): FakePage | undefined {
    return [...this.pages.values()].find((page) => `${page.appId}|${page.appSecret}` === appToken);
  }

  /** The 190 error a revoked token gets, or undefined while it works. */
  revocationOf(token: string): GraphErrorSpec | undefined {
    return this.revokedTokens.get(token);
  }

  findPage(pageId: string): FakePage | undefined {
    return this.pages.get(pageId);
  }

  findUser(pageId: string, psid: string): FakeUser | undefined {
    return this.users.get(userKey(pageId, psid));
  }

  setSubscription(pageId: string, fields: string[] | null): void {
    if (fields) this.subscriptions.set(pageId, fields);
    else this.subscriptions.delete(pageId);
  }

  recordAttachment(pageId: string, attachmentId: string): void {
    this.attachmentOwners.set(attachmentId, pageId);
  }

  ownsAttachment(pageId: string, attachmentId: string): boolean {
    return this.attachmentOwners.get(attachmentId) === pageId;
  }

  recordMessage(message: SentMessage): void {
    pushBounded(this.recordedMessages, message);
  }

  recordSenderAction(action: SentSenderAction): void {
    pushBounded(this.recordedSenderActions, action);
  }

  /** The app that controls the visitor's thread, or null while it is idle. */
  threadOwner(pageId: string, psid: string): string | null {
    return this.threadOwners.get(userKey(pageId, psid)) ?? null;
  }

  setThreadOwner(pageId: string, psid: string, appId: string | null): void {
    if (appId === null) this.threadOwners.delete(userKey(pageId, psid));
    else this.threadOwners.set(userKey(pageId, psid), appId);
  }

  recordHandover(event: HandoverEvent): void {
    pushBounded(this.recordedHandovers, event);
  }

  /**
   * Gives the thread to `to` and tells it so: the `pass_thread_control` event goes to the new
   * owner only (the Page Inbox, Facebook's own, gets none).
   */
  passThread(
    page: FakePage,
    pass: { psid: string; from: string | null; to: string; metadata?: string | undefined },
  ): HandoverEvent | null {
    this.setThreadOwner(page.pageId, pass.psid, pass.to);
    if (pass.to === FAKE_PAGE_INBOX_APP_ID) return null;
    const event = {
      deliverTo: pass.to,
      item: handoverItem(page.pageId, pass.psid, {
        pass_thread_control: {
          previous_owner_app_id: pass.from,
          new_owner_app_id: pass.to,
          metadata: pass.metadata,
        },
      }),
    };
    this.recordHandover(event);
    return event;
  }
}

/** A `messaging_handovers` item as Facebook delivers it; metadata nobody set is left out. */
export function handoverItem(
  pageId: string,
  psid: string,
  payload: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  const [key, fields] = Object.entries(payload)[0]!;
  const body = Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  );
  return { sender: { id: psid }, recipient: { id: pageId }, timestamp: Date.now(), [key]: body };
}

/** A new id in Graph's style: a 16-digit decimal number (page ids, PSIDs, attachment ids). */
export function newGraphId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 2 ** 47)).padStart(15, '0')}`;
}

function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > RECORD_LIMIT) list.splice(0, list.length - RECORD_LIMIT);
}

function userKey(pageId: string, psid: string): string {
  return `${pageId}:${psid}`;
}

function matches(matcher: RequestMatcher, method: string, path: string): boolean {
  if (matcher.method && matcher.method.toUpperCase() !== method.toUpperCase()) return false;
  if (matcher.path instanceof RegExp) return matcher.path.test(path);
  return matcher.path === undefined || matcher.path === path;
}
