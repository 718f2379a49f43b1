import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { type ZodType, type z } from 'zod';
import { ForbiddenError, ValidationError } from '../errors.js';
import { TwoFactorSetupRequiredError } from '../modules/auth/two-factor.errors.js';
import type { Actor } from '../modules/auth/actor.js';
import { ERROR_CODE_PARAM } from './schemas.js';
import type { AppState } from './state.js';

/**
 * Who may call a route: anyone, any signed-in user, tenant admins only, admins and
 * supervisors (figures, steering), or admins and reviewers (the demo's App Review kit and
 * simulator).
 */
export type Access = 'public' | 'authenticated' | 'admin' | 'supervisor' | 'demo';

const SUPERVISING_ROLES: readonly Actor['role'][] = ['admin', 'supervisor'];
const DEMO_ROLES: readonly Actor['role'][] = ['admin', 'reviewer'];

type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type ResponseSpec = { description: string; schema?: ZodType };

type HandlerInput<TAccess extends Access, TBody, TQuery, TParams> = {
  body: TBody;
  query: TQuery;
  params: TParams;
  /** The raw Koa context, for the rare route that must set a header itself. */
  ctx: Context;
} & (TAccess extends 'public' ? { actor?: undefined } : { actor: Actor });

/** One HTTP route: its contract (validated input, documented output) and its handler. */
export type RouteSpec<TAccess extends Access, TBody, TQuery, TParams> = {
  method: HttpMethod;
  /** Koa-style path, e.g. `/api/departments/:id`. */
  path: string;
  access: TAccess;
  summary: string;
  tag: string;
  /**
   * Open to an admin who must set up two-factor first (their panel's forced setup screen):
   * every other authenticated route answers them 403 TWO_FACTOR_SETUP_REQUIRED.
   */
  beforeTwoFactorSetup?: boolean;
  body?: ZodType<TBody>;
  query?: ZodType<TQuery>;
  params?: ZodType<TParams>;
  /** The first 2xx entry is the success status; the others document error cases. */
  responses: Record<number, ResponseSpec>;
  /** Returns the response body (undefined for 204). Throws AppErrors for failures. */
  handler: (input: HandlerInput<TAccess, TBody, TQuery, TParams>) => Promise<unknown> | unknown;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRouteSpec = RouteSpec<Access, any, any, any>;

/** Resolves the bearer token to an actor; implemented by the auth module. */
export type Authenticator = (authorizationHeader: string | undefined) => Promise<Actor>;

/**
 * Registers routes from their specs: validates input with the spec's zod schemas, enforces
 * access, and keeps every spec so the OpenAPI document is generated from the same source.
 */
export class ApiRouter {
  readonly koaRouter = new Router<AppState>();
  readonly specs: AnyRouteSpec[] = [];

  constructor(private readonly authenticate: Authenticator) {}

  route<TAccess extends Access, TBody = undefined, TQuery = undefined, TParams = undefined>(
    spec: RouteSpec<TAccess, TBody, TQuery, TParams>,
  ): void {
    // Every input reaches the handler through a schema: a path parameter without one would
    // hand services whatever string the URL held.
    if (/:\w/.test(spec.path) && !spec.params) {
      throw new Error(`${spec.method} ${spec.path}: declare a params schema for its parameters`);
    }
    this.specs.push(spec as unknown as AnyRouteSpec);
    const successStatus = Number(
      Object.keys(spec.responses).find((status) => status.startsWith('2')) ?? 200,
    );
    const handle: Middleware<AppState> = async (ctx) => {
      if (spec.access !== 'public') {
        const actor = await this.authenticate(ctx.get('Authorization') || undefined);
        if (actor.twoFactorSetupRequired && !spec.beforeTwoFactorSetup) {
          throw new TwoFactorSetupRequiredError();
        }
        if (spec.access === 'admin' && actor.role !== 'admin') {
          throw new ForbiddenError('Only tenant admins can do this.');
        }
        if (spec.access === 'supervisor' && !SUPERVISING_ROLES.includes(actor.role)) {
          throw new ForbiddenError('Only tenant admins and supervisors can do this.');
        }
        if (spec.access === 'demo' && !DEMO_ROLES.includes(actor.role)) {
          throw new ForbiddenError('Only admins and the App Review login can do this.');
        }
        ctx.state.actor = actor;
      }
      const input = {
        ...parseInputs(spec, ctx),
        actor: ctx.state.actor,
        ctx,
      } as HandlerInput<TAccess, TBody, TQuery, TParams>;
      const body = await spec.handler(input);
      ctx.status = successStatus;
      // Koa turns an undefined body into 204: a 202 without a body keeps its status.
      if (successStatus !== 204 && body !== undefined) ctx.body = body;
    };
    this.koaRouter[spec.method](spec.path, handle);
  }
}

/**
 * Validates params, query and body with the spec's schemas; every offending field of the
 * three is named in one 400. The code is VALIDATION_FAILED unless a schema gave one of its
 * own (ERROR_CODE_PARAM, e.g. WEAK_PASSWORD). Without a schema the input is not read at
 * all, so a route that takes no query ignores whatever query string it gets.
 */
function parseInputs(
  spec: { params?: ZodType; query?: ZodType; body?: ZodType },
  ctx: Context,
): { params: unknown; query: unknown; body: unknown } {
  const fields: Record<string, string> = {};
  let precise: { code: string; message: string } | undefined;
  const parse = (schema: ZodType | undefined, value: unknown): unknown => {
    if (!schema) return undefined;
    const result = schema.safeParse(value ?? {});
    if (result.success) return result.data;
    for (const issue of result.error.issues) fields[issue.path.join('.') || '_'] ??= issue.message;
    precise ??= preciseIssue(result.error);
    return undefined;
  };
  const input = {
    params: parse(spec.params, ctx.params),
    query: parse(spec.query, ctx.query),
    body: parse(spec.body, ctx.request.body),
  };
  if (Object.keys(fields).length > 0) {
    throw precise
      ? new ValidationError(fields, precise.message, precise.code)
      : new ValidationError(fields);
  }
  return input;
}

/** The first issue a schema gave a code of its own (see ERROR_CODE_PARAM), if any. */
function preciseIssue(error: z.ZodError): { code: string; message: string } | undefined {
  for (const issue of error.issues) {
    const code = (issue as { params?: Record<string, unknown> }).params?.[ERROR_CODE_PARAM];
    if (typeof code === 'string') return { code, message: issue.message };
  }
  return undefined;
}
