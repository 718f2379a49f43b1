import { createServer, type RequestListener, type Server } from 'node:http';
import { RequestContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { scopeToTenant } from './db/tenant-filter.js';
import { SANDBOX_GRAPH_PATH } from './config.js';
import { createProbeRedis } from './redis.js';
import { AuthService } from './modules/auth/auth.service.js';
import { LoginThrottle } from './modules/auth/login-throttle.js';
import { PasswordHasher } from './modules/auth/password-hasher.js';
import { SessionsService } from './modules/auth/sessions.service.js';
import { SignUpThrottle } from './modules/auth/sign-up-throttle.js';
import { TokenService } from './modules/auth/token.service.js';
import { TwoFactorService } from './modules/auth/two-factor.service.js';
import { ApiTokenThrottle } from './modules/api-tokens/api-token-throttle.js';
import { ApiTokensService } from './modules/api-tokens/api-tokens.service.js';
import { OutboundWebhooksService } from './modules/outbound-webhooks/outbound-webhooks.service.js';
import { seedDemoTenantIfEmpty } from './modules/demo/demo.seeder.js';
import { DemoService } from './modules/demo/demo.service.js';
import { MessengerSimulator } from './modules/demo/messenger-simulator.js';
import { SandboxGraph } from './modules/demo/sandbox-graph.js';
import { ThreadHandoverService } from './modules/handover/thread-handover.service.js';
import { FilesService } from './modules/files/files.service.js';
import { ContactsService } from './modules/contacts/contacts.service.js';
import { DataDeletionService } from './modules/data-deletion/data-deletion.service.js';
import { ConversationsService } from './modules/conversations/conversations.service.js';
import { FacebookPagesService } from './modules/facebook/facebook-pages.service.js';
import { WebhookDeliveriesService } from './modules/facebook/webhook-deliveries.service.js';
import { InboundService } from './modules/facebook/inbound/inbound.service.js';
import { FacebookWebhooksService } from './modules/facebook/facebook-webhooks.service.js';
import { DemoDataReset } from './modules/demo/demo-reset.js';
import { PageReadinessService } from './modules/page-health/page-readiness.js';
import { PageProbe } from './modules/page-health/page-probe.js';
import { WebhookRefusals } from './modules/facebook/webhook-refusals.js';
import { WebhookSigningKeys } from './modules/facebook/webhook-signing-keys.js';
import { DepartmentsService } from './modules/departments/departments.service.js';
import { CannedResponsesService } from './modules/canned-responses/canned-responses.service.js';
import { LabelsService } from './modules/labels/labels.service.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AlertPreferencesService } from './modules/operators/alert-preferences.service.js';
import { HealthService } from './modules/health/health.service.js';
import { NotesService } from './modules/notes/notes.service.js';
import { OperatorsService } from './modules/operators/operators.service.js';
import { InvitationsService } from './modules/invitations/invitations.service.js';
import { LinkTokens } from './modules/mail/link-tokens.js';
import { PasswordResetService } from './modules/auth/password-reset.service.js';
import { PasswordResetThrottle } from './modules/auth/password-reset-throttle.js';
import { RealtimeServer } from './modules/realtime/realtime.server.js';
import { TenantsService } from './modules/tenants/tenants.service.js';
import { MetricsService } from './modules/metrics/metrics.service.js';
import { OmniMetrics } from './modules/metrics/omni-metrics.js';
import { WorkerMetricsSnapshots } from './modules/metrics/worker-metrics-snapshots.js';
import { rooms, type SocketControl } from './modules/realtime/realtime.events.js';
import { OperatorPresence } from './modules/routing/operator-presence.js';
import { RepliesService } from './modules/replies/replies.service.js';
import { SenderActionsService } from './modules/replies/sender-actions.service.js';
import { QueueStatsService } from './modules/routing/queue-stats.service.js';
import { ReportsService } from './modules/reports/reports.service.js';
import {
  createIntegrations,
  createRouting,
  dispatcherWaker,
  type Infrastructure,
  type Stoppable,
} from './wiring.js';

const defaultPanelDir = fileURLToPath(new URL('../../frontend/dist', import.meta.url));

/**
 * The api process: HTTP (REST, webhooks, the panel) and socket.io. This function is the
 * api's wiring: every service is constructed here with what it depends on, and nowhere else.
 */
export async function startApi({
  config,
  orm,
  redis,
  queues,
  logger,
}: Infrastructure): Promise<Stoppable & { server: Server }> {
  const em = orm.em as EntityManager;
  const metrics = new OmniMetrics('api');
  const passwords = new PasswordHasher();
  const tokens = new TokenService(config);
  // Sessions cut sockets through the realtime server, which authenticates through auth:
  // the server is bound once it exists, before the api accepts any request.
  const sockets: SocketControl = {
    disconnect: (room, except) => realtime.disconnect(room, except),
    leave: (room, unless) => realtime.leave(room, unless),
  };
  const tenants = new TenantsService(em, config, dispatcherWaker(queues), (tenantId) =>
    sockets.disconnect(rooms.admins(tenantId)),
  );
  const sessions = new SessionsService(em, tokens, sockets);
  const integrations = createIntegrations(config);
  const { secrets, graph, storage, fileLinks, linkFile, attachmentDownloads } = integrations;
  const logInThrottle = new LoginThrottle(redis, config.redisPrefix);
  const twoFactor = new TwoFactorService(em, secrets, sessions, logInThrottle);
  const apiTokens = new ApiTokensService(
    em,
    new ApiTokenThrottle(redis, config.redisPrefix, config.apiTokenRequestsPerMinute),
  );
  const auth = new AuthService(
    em,
    passwords,
    tokens,
    tenants,
    {
      logIn: logInThrottle,
      signUp: new SignUpThrottle(redis, config.redisPrefix, config.signUpsPerAddressPerHour),
    },
    sessions,
    twoFactor,
    apiTokens,
  );
  const probeRedis = createProbeRedis(config, logger);

  // socket.io must see the server's request listener when it attaches (it routes /socket.io/
  // away from Koa), but Koa's app needs the services, which need socket.io: hence the late bind.
  let handleRequest: RequestListener = (_request, response) => response.writeHead(503).end();
  const server = createServer((request, response) => handleRequest(request, response));
  const conversations = new ConversationsService(em, linkFile);
  const realtime = new RealtimeServer({
    httpServer: server,
    redis,
    redisPrefix: config.redisPrefix,
    orm,
    auth,
    presence: new OperatorPresence(redis, config.redisPrefix),
    mayWatch: async (actor, conversationId) => {
      scopeToTenant(em, actor.tenantId); // sockets are not requests: no tenant yet
      await conversations.findVisible(actor, conversationId);
      return true;
    },
    logger,
  });
  const signingKeys = new WebhookSigningKeys(em, secrets);
  const sandboxGraph = config.demoMode ? new SandboxGraph(em, secrets, config.publicUrl) : null;
  const { routing, figures, dispatchCommitted, pageHealth } = createRouting(
    em,
    queues,
    realtime,
    integrations.links,
    storage,
    logger,
  );
  const files = new FilesService(em, storage, fileLinks, attachmentDownloads, dispatchCommitted);
  const operators = new OperatorsService(
    em,
    passwords,
    dispatchCommitted,
    routing.requeueHeldBy.bind(routing),
    sessions,
  );
  const linkTokens = new LinkTokens(config.jwtSecret);
  const pageProbe = new PageProbe(em, graph, secrets, pageHealth, logger);
  const services = {
    auth,
    twoFactor,
    apiTokens,
    outboundWebhooks: new OutboundWebhooksService(em, secrets, integrations.webhookUrls, queues),
    tenants,
    departments: new DepartmentsService(em),
    cannedResponses: new CannedResponsesService(em),
    labels: new LabelsService(em, dispatchCommitted),
    audit: new AuditService(em),
    alertPreferences: new AlertPreferencesService(em),
    operators,
    invitations: new InvitationsService(
      em,
      linkTokens,
      config.publicUrl,
      dispatchCommitted,
      operators,
      (user) => auth.openSession(user),
    ),
    passwordResets: new PasswordResetService(
      em,
      linkTokens,
      passwords,
      new PasswordResetThrottle(redis, config.redisPrefix),
      sessions,
      dispatchCommitted,
      logger,
    ),
    health: new HealthService(em, probeRedis, config.redisPrefix),
    facebookPages: new FacebookPagesService(
      em,
      graph,
      secrets,
      config,
      signingKeys,
      storage,
      dispatchCommitted,
      pageProbe,
    ),
    pageHealth,
    pageReadiness: new PageReadinessService(em, graph, secrets, pageProbe),
    webhookDeliveries: new WebhookDeliveriesService(
      em,
      new InboundService(em, logger),
      queues,
      dispatchCommitted,
    ),
    facebookWebhooks: new FacebookWebhooksService(
      em,
      signingKeys,
      new WebhookRefusals(redis, config.redisPrefix, logger, config.webhookUnverifiedPerMinute),
      queues,
      logger,
      metrics.webhooks,
    ),
    conversations,
    contacts: new ContactsService(em, dispatchCommitted),
    dataDeletion: new DataDeletionService(em, signingKeys, config),
    routing,
    replies: new RepliesService(em, conversations, dispatchCommitted, linkFile, files),
    notes: new NotesService(em, conversations, dispatchCommitted, linkFile),
    senderActions: new SenderActionsService(
      em,
      redis,
      config.redisPrefix,
      conversations,
      (conversationId, action) =>
        queues.enqueue('sender-action', {
          conversationId,
          action: action as 'mark_seen' | 'typing_on',
        }),
    ),
    handover: new ThreadHandoverService(em, graph, secrets, conversations, dispatchCommitted),
    queueFigures: figures,
    queueStats: new QueueStatsService(em),
    reports: new ReportsService(em),
    files,
    demo: new DemoService(em, config),
    demoReset: new DemoDataReset(em, config, secrets, signingKeys, storage, dispatchCommitted),
    metrics: new MetricsService(
      metrics,
      new WorkerMetricsSnapshots(redis, config.redisPrefix),
      em,
      queues,
      config.metricsToken,
      logger,
    ),
    simulator: sandboxGraph
      ? new MessengerSimulator(em, secrets, sandboxGraph, config.publicUrl)
      : null,
  };
  if (config.seedDemoData) {
    await RequestContext.create(orm.em, () =>
      seedDemoTenantIfEmpty({
        em,
        passwords,
        secrets,
        encryptionKey: config.encryptionKey,
        logger,
        isProduction: config.isProduction,
      }),
    );
  }
  await sandboxGraph?.load();

  const app = createApp({
    config,
    orm,
    logger,
    services,
    panelDir: config.panelDir ?? defaultPanelDir,
    sandboxGraph: sandboxGraph?.middleware(SANDBOX_GRAPH_PATH) ?? null,
    recordHttpRequest: (...request) => metrics.httpRequestAnswered(...request),
  });
  handleRequest = app.callback();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  logger.info(`Omni is listening on ${config.publicUrl} (port ${config.port})`);

  return {
    name: 'api',
    server,
    stop: async () => {
      await realtime.close(); // also closes the HTTP server
      server.closeAllConnections();
      probeRedis.disconnect();
    },
  };
}
