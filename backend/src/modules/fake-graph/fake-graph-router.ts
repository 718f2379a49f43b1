import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa, { type Context, type Middleware, type Next } from 'koa';
import {
  GraphErrorResponse,
  fakeGraphErrors,
  toGraphErrorBody,
  type GraphErrorSpec,
} from './fake-graph-errors.js';
import type { FakeGraph, FakeGraphFailure, FakePage } from './fake-graph.js';
import { handleThreadControl, readThreadOwner } from './fake-handover.js';
import {
  handleAttachmentUpload,
  handleSendRequest,
  readObject,
  type GraphParams,
} from './fake-send-api.js';

/**
 * The HTTP face of the fake Graph API: the paths, parameters, tokens and error bodies of
 * graph.facebook.com for the calls Omni makes (shared/docs/messenger-platform.md).
 */

type FakeGraphState = {
  /** Query and body parameters together, as Graph reads them. */
  graphParams: GraphParams;
  /** The page whose token authenticated the call. */
  page: FakePage;
};

type FakeGraphMiddleware = Middleware<FakeGraphState>;
type FakeGraphContext = Parameters<FakeGraphMiddleware>[0];

const VERSION_PATTERN = /^v\d+\.\d+$/;

const PAGE_FIELDS = ['id', 'name'] as const;
const USER_FIELDS = ['id', 'first_name', 'last_name', 'profile_pic'] as const;
const DEFAULT_USER_FIELDS = ['first_name', 'last_name', 'profile_pic'] as const;
/** Page webhook fields Facebook accepts in subscribed_fields (the Messenger ones and feed). */
const PAGE_WEBHOOK_FIELDS = [
  'messages',
  'messaging_postbacks',
  'messaging_optins',
  'message_deliveries',
  'message_reads',
  'message_echoes',
  'message_reactions',
  'message_edits',
  'messaging_referrals',
  'messaging_handovers',
  'messaging_policy_enforcement',
  'messaging_account_linking',
  'messaging_customer_information',
  'messaging_feedback',
  'messaging_payments',
  'inbox_labels',
  'standby',
  'feed',
] as const;

export type FakeGraphRouterOptions = {
  /** Where the fake is mounted inside another Koa app, e.g. "/sandbox-graph". */
  prefix?: string;
  /**
   * Asked before a token is refused as unknown, to register its page if it exists somewhere
   * the fake has not looked yet (the demo's sandbox reads pages from the database).
   */
  lookUpToken?: (token: string) => Promise<void>;
};

/** The fake's routes, to mount in a Koa app (Omni's demo mode) with `app.use(router.routes())`. */
export function createFakeGraphRouter(
  graph: FakeGraph,
  options: FakeGraphRouterOptions = {},
): Router<FakeGraphState> {
  const prefix = options.prefix ?? '';
  const router = new Router<FakeGraphState>(prefix ? { prefix } : {});
  const authenticate = authenticatePage(graph, options.lookUpToken);

  // Graph takes JSON and form bodies; an unreadable body counts as no parameters.
  router.use(bodyParser({ enableTypes: ['json', 'form'], onError: () => undefined }));
  router.use(answerLikeGraph(graph, prefix));

  router.get('/:version/debug_token', (ctx) => {
    ctx.body = debugToken(graph, ctx.state.graphParams);
  });
  // The app the token belongs to (Graph answers it with or without a version in the path).
  router.get('/:version/app', authenticate, (ctx) => {
    const { page } = ctx.state;
    ctx.body = {
      id: page.appId,
      name: page.appName,
      link: `https://www.facebook.com/games/?app_id=${page.appId}`,
    };
  });
  router.get('/:version/:node/subscribed_apps', authenticate, (ctx) => {
    const page = resolvePageNode(ctx);
    const fields = graph.subscribedFields(page.pageId);
    ctx.body = {
      data:
        fields.length === 0
          ? []
          : [{ id: page.appId, name: page.appName, subscribed_fields: fields }],
    };
  });
  router.post('/:version/:node/subscribed_apps', authenticate, (ctx) => {
    const page = resolvePageNode(ctx);
    graph.setSubscription(page.pageId, readSubscribedFields(ctx.state.graphParams));
    ctx.body = { success: true };
  });
  router.delete('/:version/:node/subscribed_apps', authenticate, (ctx) => {
    graph.setSubscription(resolvePageNode(ctx).pageId, null);
    ctx.body = { success: true };
  });
  router.post('/:version/:node/messages', authenticate, (ctx) => {
    ctx.body = handleSendRequest(graph, resolvePageNode(ctx), ctx.state.graphParams);
  });
  for (const call of [
    'pass_thread_control',
    'take_thread_control',
    'request_thread_control',
  ] as const) {
    router.post(`/:version/:node/${call}`, authenticate, (ctx) => {
      ctx.body = handleThreadControl(graph, resolvePageNode(ctx), call, ctx.state.graphParams);
    });
  }
  router.get('/:version/:node/thread_owner', authenticate, (ctx) => {
    ctx.body = readThreadOwner(graph, resolvePageNode(ctx), ctx.state.graphParams);
  });
  router.post('/:version/:node/message_attachments', authenticate, (ctx) => {
    ctx.body = handleAttachmentUpload(graph, resolvePageNode(ctx), ctx.state.graphParams);
  });
  // /me, /{page-id} and /{psid}: the page itself, or a visitor's profile.
  router.get('/:version/:node', authenticate, (ctx) => {
    const { page, graphParams } = ctx.state;
    if (isPageNode(ctx)) {
      ctx.body = selectFields({ id: page.pageId, name: page.name }, graphParams, PAGE_FIELDS, {
        defaults: PAGE_FIELDS,
        nodeType: 'Page',
      });
      return;
    }
    ctx.body = readUserProfile(graph, ctx, ctx.params['node'] ?? '');
  });
  router.all('{/*rest}', (ctx) => {
    const [, ...edges] = graphPath(ctx, prefix).path.split('/').slice(1);
    throw new GraphErrorResponse(fakeGraphErrors.unknownPathComponents(`/${edges.join('/')}`));
  });
  return router;
}

/** The fake on its own, as a Koa application. */
export function createFakeGraphApp(graph: FakeGraph): Koa {
  const app = new Koa();
  app.use(serveFakeCdn(graph));
  app.use(createFakeGraphRouter(graph).routes());
  return app;
}

/** Where the standalone fake serves its CDN files (attachment links in tests). */
export const FAKE_CDN_PATH = '/fake-cdn/';

/** Facebook's CDN, in the small: the files tests published, or a redirect they asked for. */
function serveFakeCdn(graph: FakeGraph): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || !ctx.path.startsWith(FAKE_CDN_PATH)) return next();
    const file = graph.takeCdnFile(ctx.path.slice(FAKE_CDN_PATH.length));
    if (!file) {
      ctx.status = 404;
    } else if ('redirectTo' in file) {
      ctx.redirect(file.redirectTo);
    } else {
      ctx.type = file.contentType;
      ctx.body = file.content;
    }
  };
}

/** Records the call, waits the configured latency, then fails it as told or answers it. */
function answerLikeGraph(graph: FakeGraph, prefix: string): FakeGraphMiddleware {
  return async function answer(ctx, next) {
    const { version, path } = graphPath(ctx, prefix);
    const query = Object.fromEntries(
      Object.entries(ctx.query).map(([name, value]) => [name, [value].flat()[0] ?? '']),
    );
    const body = ctx.request.body;
    ctx.state.graphParams = { ...query, ...readObject(body) };
    graph.record({ method: ctx.method, version, path, query, body, at: new Date() });

    if (graph.latencyMs > 0) await delay(graph.latencyMs);
    const failure = graph.takeFailure(ctx.method, path);
    if (failure === undefined || failure === 'timeout-after-processing') {
      await answerNormally(ctx, next, version);
      if (failure) await staySilent(ctx);
    } else {
      await fail(ctx, failure);
    }
  };
}

/** Checks the version, runs the route, and turns GraphErrorResponse into Graph's answer. */
async function answerNormally(ctx: Context, next: Next, version: string): Promise<void> {
  try {
    if (!VERSION_PATTERN.test(version)) {
      throw new GraphErrorResponse(fakeGraphErrors.unsupportedRequest(ctx.method, version));
    }
    await next();
  } catch (error) {
    if (!(error instanceof GraphErrorResponse)) throw error;
    answerWithError(ctx, error.spec);
  }
}

async function fail(
  ctx: Context,
  failure: Exclude<FakeGraphFailure, 'timeout-after-processing'>,
): Promise<void> {
  if (failure === 'network') {
    ctx.respond = false;
    ctx.req.socket.destroy();
  } else if (failure === 'timeout') {
    await staySilent(ctx);
  } else if ('body' in failure) {
    ctx.status = failure.httpStatus;
    ctx.body = failure.body;
  } else {
    answerWithError(ctx, failure);
  }
}

/** Never answers; waits until the client gives up (or the server closes) to free the request. */
async function staySilent(ctx: Context): Promise<void> {
  ctx.respond = false;
  const socket = ctx.req.socket;
  if (socket.destroyed) return;
  await new Promise((resolve) => socket.once('close', resolve));
}

function answerWithError(ctx: Context, spec: GraphErrorSpec): void {
  ctx.status = spec.httpStatus ?? 400;
  ctx.body = toGraphErrorBody(spec);
  if (spec.code === 190) {
    ctx.set('WWW-Authenticate', `OAuth "Facebook Platform" "invalid_token" "${spec.message}"`);
  }
}

/** Splits "/v25.0/me/messages" (after any mount prefix) into the version and the rest. */
function graphPath(ctx: Context, prefix: string): { version: string; path: string } {
  const [, version = '', ...rest] = ctx.path.slice(prefix.length).split('/');
  return { version, path: `/${rest.join('/')}` };
}

/**
 * Finds the page behind the token (`access_token` parameter or `Authorization: Bearer`),
 * refuses revoked tokens, and checks appsecret_proof: a wrong proof always fails, a missing
 * one only when the app requires it.
 */
function authenticatePage(
  graph: FakeGraph,
  lookUpToken: FakeGraphRouterOptions['lookUpToken'],
): FakeGraphMiddleware {
  return async function authenticate(ctx, next) {
    const { graphParams } = ctx.state;
    const token = stringParam(graphParams, 'access_token') ?? bearerToken(ctx);
    if (!token) throw new GraphErrorResponse(fakeGraphErrors.tokenRequired);
    const revocation = graph.revocationOf(token);
    if (revocation) throw new GraphErrorResponse(revocation);
    if (!graph.findPageByToken(token)) await lookUpToken?.(token);
    const page = graph.findPageByToken(token);
    if (!page) throw new GraphErrorResponse(fakeGraphErrors.invalidToken);

    const proof = stringParam(graphParams, 'appsecret_proof');
    if (proof === undefined && page.requireAppSecretProof) {
      throw new GraphErrorResponse(fakeGraphErrors.appSecretProofRequired);
    }
    if (proof !== undefined && !isProofOf(proof, token, page.appSecret)) {
      throw new GraphErrorResponse(fakeGraphErrors.invalidAppSecretProof);
    }
    ctx.state.page = page;
    await next();
  };
}

function isProofOf(proof: string, token: string, appSecret: string): boolean {
  const expected = Buffer.from(createHmac('sha256', appSecret).update(token).digest('hex'));
  const given = Buffer.from(proof);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function bearerToken(ctx: Context): string | undefined {
  return /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
}

/** "me" or the page's own id; any other node is one this token cannot reach. */
function isPageNode(ctx: FakeGraphContext): boolean {
  const node = ctx.params['node'];
  return node === 'me' || node === ctx.state.page.pageId;
}

function resolvePageNode(ctx: FakeGraphContext): FakePage {
  if (!isPageNode(ctx)) {
    throw new GraphErrorResponse(
      fakeGraphErrors.unsupportedRequest(ctx.method, ctx.params['node'] ?? ''),
    );
  }
  return ctx.state.page;
}

function readUserProfile(graph: FakeGraph, ctx: FakeGraphContext, psid: string): object {
  const user = graph.findUser(ctx.state.page.pageId, psid);
  if (!user) throw new GraphErrorResponse(fakeGraphErrors.unsupportedRequest(ctx.method, psid));
  if (user.profileAccess === 'no_profile') {
    throw new GraphErrorResponse(fakeGraphErrors.noProfile);
  }
  if (user.profileAccess === 'insufficient_permission') {
    throw new GraphErrorResponse(fakeGraphErrors.insufficientProfilePermission);
  }
  if (user.profileAccess === 'empty') return {};
  const profile = {
    id: user.psid,
    first_name: user.firstName,
    last_name: user.lastName,
    profile_pic: user.profilePic,
  };
  return selectFields(profile, ctx.state.graphParams, USER_FIELDS, {
    defaults: DEFAULT_USER_FIELDS,
    nodeType: 'User',
  });
}

/**
 * Graph answers with the requested `fields` only (plus `id`), and refuses a field the node
 * does not have. Absent values are left out, as Graph leaves them out.
 */
function selectFields(
  node: Record<string, string | null>,
  params: GraphParams,
  known: readonly string[],
  options: { defaults: readonly string[]; nodeType: string },
): Record<string, string> {
  const requested = stringParam(params, 'fields')
    ?.split(',')
    .map((field) => field.trim());
  const fields = requested?.filter(Boolean) ?? options.defaults;
  const unknown = fields.find((field) => !known.includes(field));
  if (unknown) {
    throw new GraphErrorResponse(fakeGraphErrors.nonexistingField(unknown, options.nodeType));
  }
  const selected: Record<string, string> = {};
  for (const field of [...fields, 'id']) {
    const value = node[field];
    if (typeof value === 'string') selected[field] = value;
  }
  return selected;
}

/** `subscribed_fields` as "a,b" or as a JSON array; each must be a page webhook field. */
function readSubscribedFields(params: GraphParams): string[] {
  const value = params['subscribed_fields'];
  if (value === undefined || value === '') {
    throw new GraphErrorResponse(fakeGraphErrors.parameterRequired('subscribed_fields'));
  }
  const fields = Array.isArray(value)
    ? value.map(String)
    : String(value).startsWith('[')
      ? (parseJsonArray(String(value)) ?? [])
      : String(value).split(',');
  const trimmed = fields.map((field) => field.trim());
  trimmed.forEach((field, index) => {
    if (!(PAGE_WEBHOOK_FIELDS as readonly string[]).includes(field)) {
      throw new GraphErrorResponse(
        fakeGraphErrors.parameterMustBeOneOf(`subscribed_fields[${index}]`, PAGE_WEBHOOK_FIELDS),
      );
    }
  });
  return [...new Set(trimmed)];
}

/**
 * GET /debug_token?input_token=…&access_token=<app-id>|<app-secret>. An unusable input token
 * is not an error of the call: the answer says `is_valid: false` and why.
 */
function debugToken(graph: FakeGraph, params: GraphParams): object {
  const appToken = stringParam(params, 'access_token');
  if (!appToken) throw new GraphErrorResponse(fakeGraphErrors.tokenRequired);
  if (!graph.findPageByAppToken(appToken)) {
    throw new GraphErrorResponse(fakeGraphErrors.invalidToken);
  }
  const inputToken = stringParam(params, 'input_token');
  if (!inputToken) throw new GraphErrorResponse(fakeGraphErrors.parameterRequired('input_token'));

  const page = graph.findPageByToken(inputToken);
  if (!page) return { data: { ...describeTokenError(fakeGraphErrors.invalidToken) } };
  const about = {
    app_id: page.appId,
    type: 'PAGE',
    application: page.appName,
    profile_id: page.pageId,
  };
  const revocation = graph.revocationOf(inputToken);
  if (revocation) return { data: { ...about, ...describeTokenError(revocation) } };
  return {
    data: {
      ...about,
      data_access_expires_at: 0,
      expires_at: 0,
      is_valid: true,
      scopes: page.scopes,
      granular_scopes: page.scopes.map((scope) => ({ scope, target_ids: [page.pageId] })),
    },
  };
}

/** How `debug_token` describes a token that does not work. */
function describeTokenError(problem: GraphErrorSpec): object {
  return {
    error: {
      code: problem.code,
      message: problem.message,
      ...(problem.subcode === undefined ? {} : { subcode: problem.subcode }),
    },
    is_valid: false,
    scopes: [],
  };
}

function stringParam(params: GraphParams, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseJsonArray(text: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.map(String) : undefined;
  } catch {
    return undefined;
  }
}
