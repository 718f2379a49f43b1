import { bodyParser } from '@koa/bodyparser';
import type { MikroORM } from '@mikro-orm/core';
import Koa, { type Middleware } from 'koa';
import helmet from 'koa-helmet';
import type { Config } from './config.js';
import { ApiRouter, type AnyRouteSpec } from './http/api-router.js';
import { registerApiDocs } from './http/api-docs.js';
import { errorHandler } from './http/error-handler.js';
import { shedLoad } from './http/load-shedding.js';
import { measureHttpRequests, type RecordHttpRequest } from './http/http-metrics.js';
import { buildOpenApiDocument } from './http/openapi.js';
import { isPanelBuilt, servePanel } from './http/panel.js';
import { ormRequestContext, requestId } from './http/request-context.js';
import type { AppState } from './http/state.js';
import type { Logger } from './logger.js';
import { registerAuditRoutes } from './modules/audit/audit.routes.js';
import type { AuditService } from './modules/audit/audit.service.js';
import { registerAuthRoutes } from './modules/auth/auth.routes.js';
import type { AuthService } from './modules/auth/auth.service.js';
import { registerTwoFactorRoutes } from './modules/auth/two-factor.routes.js';
import type { TwoFactorService } from './modules/auth/two-factor.service.js';
import { registerCannedResponseRoutes } from './modules/canned-responses/canned-responses.routes.js';
import type { CannedResponsesService } from './modules/canned-responses/canned-responses.service.js';
import { registerContactRoutes } from './modules/contacts/contacts.routes.js';
import type { ContactsService } from './modules/contacts/contacts.service.js';
import { registerLabelRoutes } from './modules/labels/labels.routes.js';
import type { LabelsService } from './modules/labels/labels.service.js';
import { registerConversationRoutes } from './modules/conversations/conversations.routes.js';
import type { ConversationsService } from './modules/conversations/conversations.service.js';
import { registerDataDeletionRoutes } from './modules/data-deletion/data-deletion.routes.js';
import type { DataDeletionService } from './modules/data-deletion/data-deletion.service.js';
import type { DemoDataReset } from './modules/demo/demo-reset.js';
import { registerDemoRoutes } from './modules/demo/demo.routes.js';
import type { DemoService } from './modules/demo/demo.service.js';
import type { MessengerSimulator } from './modules/demo/messenger-simulator.js';
import { registerDepartmentRoutes } from './modules/departments/departments.routes.js';
import type { DepartmentsService } from './modules/departments/departments.service.js';
import { registerFacebookPageRoutes } from './modules/facebook/facebook-pages.routes.js';
import { registerWebhookDeliveryRoutes } from './modules/facebook/webhook-deliveries.routes.js';
import type { FacebookPagesService } from './modules/facebook/facebook-pages.service.js';
import type { WebhookDeliveriesService } from './modules/facebook/webhook-deliveries.service.js';
import { registerFacebookWebhookRoutes } from './modules/facebook/facebook-webhooks.routes.js';
import type { FacebookWebhooksService } from './modules/facebook/facebook-webhooks.service.js';
import { registerFileRoutes } from './modules/files/files.routes.js';
import type { FilesService } from './modules/files/files.service.js';
import { registerHealthRoutes } from './modules/health/health.routes.js';
import type { HealthService } from './modules/health/health.service.js';
import { registerMetricsRoutes } from './modules/metrics/metrics.routes.js';
import type { MetricsService } from './modules/metrics/metrics.service.js';
import { registerNoteRoutes } from './modules/notes/notes.routes.js';
import type { NotesService } from './modules/notes/notes.service.js';
import { registerAlertPreferenceRoutes } from './modules/operators/alert-preferences.routes.js';
import type { AlertPreferencesService } from './modules/operators/alert-preferences.service.js';
import { registerOperatorRoutes } from './modules/operators/operators.routes.js';
import { registerInvitationRoutes } from './modules/invitations/invitations.routes.js';
import { registerPasswordResetRoutes } from './modules/auth/password-reset.routes.js';
import type { OperatorsService } from './modules/operators/operators.service.js';
import type { InvitationsService } from './modules/invitations/invitations.service.js';
import type { PasswordResetService } from './modules/auth/password-reset.service.js';
import { registerReplyRoutes } from './modules/replies/replies.routes.js';
import type { RepliesService } from './modules/replies/replies.service.js';
import { registerHandoverRoutes } from './modules/handover/handover.routes.js';
import type { ThreadHandoverService } from './modules/handover/thread-handover.service.js';
import type { SenderActionsService } from './modules/replies/sender-actions.service.js';
import { registerRoutingRoutes } from './modules/routing/routing.routes.js';
import type { RoutingService } from './modules/routing/routing.service.js';
import type { QueueFiguresService } from './modules/routing/queue-figures.service.js';
import type { QueueStatsService } from './modules/routing/queue-stats.service.js';
import { registerReportsRoutes } from './modules/reports/reports.routes.js';
import type { ReportsService } from './modules/reports/reports.service.js';
import { registerPageHealthRoutes } from './modules/page-health/page-health.routes.js';
import type { PageHealthService } from './modules/page-health/page-health.service.js';
import type { PageReadinessService } from './modules/page-health/page-readiness.js';
import { registerApiTokenRoutes } from './modules/api-tokens/api-tokens.routes.js';
import { registerOutboundWebhookRoutes } from './modules/outbound-webhooks/outbound-webhooks.routes.js';
import type { OutboundWebhooksService } from './modules/outbound-webhooks/outbound-webhooks.service.js';
import type { ApiTokensService } from './modules/api-tokens/api-tokens.service.js';
import { registerTenantRoutes } from './modules/tenants/tenants.routes.js';
import type { TenantsService } from './modules/tenants/tenants.service.js';

export type ApiServices = {
  auth: AuthService;
  twoFactor: TwoFactorService;
  apiTokens: ApiTokensService;
  outboundWebhooks: OutboundWebhooksService;
  tenants: TenantsService;
  departments: DepartmentsService;
  cannedResponses: CannedResponsesService;
  labels: LabelsService;
  audit: AuditService;
  operators: OperatorsService;
  alertPreferences: AlertPreferencesService;
  invitations: InvitationsService;
  passwordResets: PasswordResetService;
  health: HealthService;
  facebookPages: FacebookPagesService;
  webhookDeliveries: WebhookDeliveriesService;
  facebookWebhooks: FacebookWebhooksService;
  pageHealth: PageHealthService;
  pageReadiness: PageReadinessService;
  conversations: ConversationsService;
  contacts: ContactsService;
  dataDeletion: DataDeletionService;
  routing: RoutingService;
  replies: RepliesService;
  notes: NotesService;
  senderActions: SenderActionsService;
  handover: ThreadHandoverService;
  queueFigures: QueueFiguresService;
  queueStats: QueueStatsService;
  reports: ReportsService;
  files: FilesService;
  demo: DemoService;
  demoReset: DemoDataReset;
  metrics: MetricsService;
  /** null unless demo mode is on. */
  simulator: MessengerSimulator | null;
};

/** Request bodies above this are refused with 413 before they are parsed. */
const JSON_BODY_LIMIT = '1mb';

/**
 * Every route of the API, declared through ApiRouter (so validated and documented alike).
 * Registering only reads the services: tests walk `router.specs` with stand-ins for them.
 */
export function registerApiRoutes(
  router: ApiRouter,
  services: ApiServices,
  config: Pick<Config, 'filesPublicUrl'>,
): void {
  registerHealthRoutes(router, services.health);
  registerAuthRoutes(router, services.auth, services.operators);
  registerTwoFactorRoutes(router, services.twoFactor);
  registerTenantRoutes(router, services.tenants);
  registerDepartmentRoutes(router, services.departments);
  registerOperatorRoutes(router, services.operators);
  registerAlertPreferenceRoutes(router, services.alertPreferences);
  registerInvitationRoutes(router, services.invitations);
  registerPasswordResetRoutes(router, services.passwordResets);
  registerFacebookPageRoutes(router, services.facebookPages);
  registerWebhookDeliveryRoutes(router, services.webhookDeliveries);
  registerFacebookWebhookRoutes(router, services.facebookWebhooks);
  registerPageHealthRoutes(router, services.pageHealth, services.pageReadiness);
  registerConversationRoutes(router, services.conversations);
  registerContactRoutes(router, services.contacts);
  registerDataDeletionRoutes(router, services.dataDeletion);
  registerRoutingRoutes(router, services);
  registerReportsRoutes(router, services.reports);
  registerReplyRoutes(router, services.replies, services.senderActions);
  registerHandoverRoutes(router, services.handover);
  registerCannedResponseRoutes(router, services.cannedResponses);
  registerNoteRoutes(router, services.notes);
  registerLabelRoutes(router, services.labels, services.conversations);
  registerAuditRoutes(router, services.audit);
  registerApiTokenRoutes(router, services.apiTokens);
  registerOutboundWebhookRoutes(router, services.outboundWebhooks);
  registerFileRoutes(router, services.files, {
    servedToOtherOrigins: config.filesPublicUrl !== null,
  });
  registerDemoRoutes(router, services);
  registerMetricsRoutes(router, services.metrics);
}

/** The route specs alone, as tests and the document need them: stand-ins take the services. */
export function describeApiRoutes(): AnyRouteSpec[] {
  const router = new ApiRouter(() => Promise.reject(new Error('Only describing the routes.')));
  const standIn = new Proxy({}, { get: () => ({}) });
  registerApiRoutes(router, new Proxy({}, { get: () => standIn }) as ApiServices, {
    filesPublicUrl: null,
  });
  return router.specs;
}

/**
 * The OpenAPI document without a server, services or database: `npm run api:types` makes
 * the panel's API types from it (frontend/scripts/api-types.ts).
 */
export function buildApiDocument(serverUrl: string): object {
  return buildOpenApiDocument(describeApiRoutes(), serverUrl);
}

/** The Koa application: middleware chain, API routes, OpenAPI document and the panel. */
export function createApp(options: {
  config: Config;
  orm: MikroORM;
  logger: Logger;
  services: ApiServices;
  panelDir: string;
  /** Demo mode's sandbox Graph API (mounted at SANDBOX_GRAPH_PATH), or null. */
  sandboxGraph?: Middleware | null;
  /** Told of every answered request (HTTP latency in /metrics). */
  recordHttpRequest: RecordHttpRequest;
}): Koa<AppState> {
  const { config, orm, logger, services, panelDir } = options;
  // Behind a load balancer, X-Forwarded-For carries the client address (login throttling).
  const app = new Koa<AppState>({ proxy: config.trustProxy });

  const router = new ApiRouter((header) => services.auth.authenticate(header));
  registerApiRoutes(router, services, config);

  let openApiDocument: object | undefined;
  router.koaRouter.get('/api/openapi.json', (ctx) => {
    openApiDocument ??= buildOpenApiDocument(router.specs, config.publicUrl);
    ctx.body = openApiDocument;
  });
  registerApiDocs(router.koaRouter);

  const publicOrigin = new URL(config.publicUrl).origin;
  // File links point at FILES_PUBLIC_URL when it is set (a separate origin for their bytes).
  const filesOrigins = config.filesPublicUrl ? [new URL(config.filesPublicUrl).origin] : [];
  // Outermost: the status it sees is the one the error handler settled on.
  app.use(measureHttpRequests(options.recordHttpRequest));
  app.use(requestId(logger));
  app.use(errorHandler(logger));
  app.use(shedLoad(config.maxRequestsInFlight));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // naive-ui injects its styles at run time; Facebook profile photos come from its CDNs.
          'style-src': ["'self'", "'unsafe-inline'"],
          // The demo visitors' photos are links on PUBLIC_URL, which need not be the address
          // the panel was opened at (127.0.0.1 for localhost).
          'img-src': ["'self'", publicOrigin, ...filesOrigins, 'data:', 'blob:', 'https:'],
          'media-src': ["'self'", ...filesOrigins],
          'connect-src': ["'self'"],
        },
      },
    }),
  );
  app.use(ormRequestContext(orm));
  // Before the JSON parser and the panel: it reads Graph's JSON and form bodies itself.
  if (options.sandboxGraph) app.use(options.sandboxGraph);
  const parseJson = bodyParser({
    enableTypes: ['json'],
    jsonLimit: JSON_BODY_LIMIT,
    encoding: 'utf-8',
  });
  // Webhooks read their raw bytes themselves: their signature covers the exact body.
  app.use((ctx, next) => (ctx.path.startsWith('/api/webhooks/') ? next() : parseJson(ctx, next)));
  if (isPanelBuilt(panelDir)) {
    app.use(servePanel(panelDir));
  } else {
    logger.warn({ panelDir }, 'the panel is not built (npm run build): serving the API only');
  }
  app.use(router.koaRouter.routes());
  app.use(router.koaRouter.allowedMethods({ throw: true }));
  return app;
}
