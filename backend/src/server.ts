import { createServer, type RequestListener, type Server } from 'node:http';
import { RequestContext, type MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { createApp } from './app.js';
import { scopeToTenant } from './db/tenant-filter.js';
import { SANDBOX_GRAPH_PATH, type Config } from './config.js';
import type { JobQueues } from './jobs/job-queues.js';
import { JobScheduleKeeper, wakeOnStart } from './jobs/job-schedules.js';
import { JobWorkers } from './jobs/job-workers.js';
import type { Logger } from './logger.js';
import { createProbeRedis } from './redis.js';
import { AuthService } from './modules/auth/auth.service.js';
import { LoginThrottle } from './modules/auth/login-throttle.js';
import { PasswordHasher } from './modules/auth/passwords.js';
import { SessionsService } from './modules/auth/sessions.service.js';
import { SignUpThrottle } from './modules/auth/sign-up-throttle.js';
import { TokenService } from './modules/auth/tokens.js';
import { seedDemoTenantIfEmpty } from './modules/demo/demo.seeder.js';
import { DemoService } from './modules/demo/demo.service.js';
import { MessengerSimulator } from './modules/demo/messenger-simulator.js';
import { SandboxAwareGraphClient } from './modules/demo/sandbox-aware-graph-client.js';
import { SandboxGraph } from './modules/demo/sandbox-graph.js';
import { SecretBox } from './crypto/secret-box.js';
import { createFileStorage } from './modules/files/file-storage.js';
import { FileUrlSigner } from './modules/files/file-urls.js';
import { FilesService } from './modules/files/files.service.js';
import { OutboundHttp } from './modules/outbound-http/outbound-http.js';
import { UrlAllowList } from './modules/outbound-http/url-allow-list.js';
import { ConversationBroadcaster } from './modules/conversations/conversation-broadcaster.js';
import { ConversationsService } from './modules/conversations/conversations.service.js';
import { ContactProfilesService } from './modules/conversations/contact-profiles.service.js';
import { conversationsJobs } from './modules/conversations/conversations.jobs.js';
import { inboundJobs, removeExpiredDeliveries } from './modules/facebook/inbound/inbound.jobs.js';
import { pageSubscriptionsJobs } from './modules/facebook/page-subscriptions.jobs.js';
import { filesJobs } from './modules/files/files.jobs.js';
import { repliesJobs } from './modules/replies/replies.jobs.js';
import { routingJobs } from './modules/routing/routing.jobs.js';
import { outboxJobs, removeExpiredOutboxFailures } from './outbox/outbox.jobs.js';
import type { JobProcessors } from './jobs/job-map.js';
import { InboundFollowUps } from './modules/facebook/inbound/inbound-follow-ups.js';
import { InboundService } from './modules/facebook/inbound/inbound.service.js';
import { WebhookSweeper } from './modules/facebook/inbound/webhook-sweeper.js';
import { WebhookRetention } from './modules/facebook/inbound/webhook-retention.js';
import { RealtimeEmitter } from './modules/realtime/realtime.emitter.js';
import { FacebookPagesService } from './modules/facebook/facebook-pages.service.js';
import { PageSubscriptionsService } from './modules/facebook/page-subscriptions.service.js';
import { FacebookWebhooksService } from './modules/facebook/facebook-webhooks.service.js';
import { WebhookRefusals } from './modules/facebook/webhook-refusals.js';
import { WebhookSigningKeys } from './modules/facebook/webhook-signing-keys.js';
import { FetchGraphClient } from './modules/facebook/graph/fetch-graph-client.js';
import { DepartmentsService } from './modules/departments/departments.service.js';
import { HealthService } from './modules/health/health.service.js';
import { heartbeatJobs } from './modules/health/heartbeat.jobs.js';
import { OperatorsService } from './modules/operators/operators.service.js';
import { RealtimeServer } from './modules/realtime/realtime.server.js';
import { TenantsService } from './modules/tenants/tenants.service.js';
import type { RealtimePublisher, SocketControl } from './modules/realtime/realtime.events.js';
import { OperatorPresence } from './modules/routing/operator-presence.js';
import { RoutingSweeper } from './modules/routing/routing-sweeper.js';
import { OutboundSender } from './modules/replies/outbound-sender.js';
import { OutboundSweeper } from './modules/replies/outbound-sweeper.js';
import { ReplyFollowUps } from './modules/replies/reply-follow-ups.js';
import { RepliesService } from './modules/replies/replies.service.js';
import { SenderActionSender, SenderActionsService } from './modules/replies/sender-actions.js';
import { QueueNoticesService } from './modules/routing/queue-notices.js';
import { RoutingFollowUps } from './modules/routing/routing-follow-ups.js';
import { RoutingService, type WakeDispatcher } from './modules/routing/routing.service.js';
import { OperatorFollowUps } from './modules/operators/operator-follow-ups.js';
import { PageFollowUps } from './modules/facebook/page-follow-ups.js';
import { QueueFiguresPublisher, QueueFiguresService } from './modules/routing/queue-figures.js';
import { QueueStatsService } from './modules/routing/queue-stats.js';
import { OutboxDispatcher } from './outbox/outbox-dispatcher.js';
import type { DispatchCommitted } from './outbox/outbox.js';

/** Something main.ts stops, in reverse order of starting, on SIGTERM. */
export type Stoppable = { name: string; stop: () => Promise<void> };

type Infrastructure = {
  config: Config;
  orm: MikroORM;
  redis: Redis;
  queues: JobQueues;
  logger: Logger;
};

const defaultPanelDir = fileURLToPath(new URL('../../frontend/dist', import.meta.url));

/** What both processes use to reach Facebook and stored files. */
function createIntegrations(config: Config) {
  const fileLinks = new FileUrlSigner(config.jwtSecret, config.filesPublicUrl);
  const facebook = new FetchGraphClient({
    baseUrl: config.facebookGraphUrl,
    version: config.facebookGraphVersion,
  });
  return {
    secrets: new SecretBox(config.encryptionKey, config.encryptionKeyPrevious),
    graph: config.demoMode
      ? new SandboxAwareGraphClient(
          facebook,
          new FetchGraphClient({
            baseUrl: config.sandboxGraphUrl,
            version: config.facebookGraphVersion,
          }),
        )
      : facebook,
    storage: createFileStorage(config),
    fileLinks,
    // Every request whose URL a tenant or a visitor can influence goes through OutboundHttp.
    attachmentDownloads: {
      http: new OutboundHttp(),
      allowList: UrlAllowList.parse(config.attachmentUrlAllowList),
    },
    linkFile: (fileId: string) => fileLinks.urlFor(fileId),
  };
}

function dispatcherWaker(queues: JobQueues): WakeDispatcher {
  return (tenantId) => queues.wake('routing-dispatch', { tenantId }, tenantId);
}

/**
 * The queue and the outbox, as both processes use them: changes pushed to the panels,
 * dispatch woken by job, and what a committed change must cause performed from the outbox
 * (at once by the process that committed it; the worker's sweep performs what is left).
 */
function createRouting(
  em: EntityManager,
  queues: JobQueues,
  realtime: RealtimePublisher & SocketControl,
  linkFile: (fileId: string) => string,
  logger: Logger,
) {
  const broadcaster = new ConversationBroadcaster(em, realtime, linkFile);
  const figures = new QueueFiguresService(em);
  const figuresPublisher = new QueueFiguresPublisher(figures, realtime, (error) =>
    logger.warn({ err: error }, 'could not publish the queue figures'),
  );
  const wakeDispatcher = dispatcherWaker(queues);
  const queueChanged = (tenantId: string) => figuresPublisher.queueChanged(tenantId);
  // Services commit their outbox entries, then perform them at once through the dispatcher
  // built below (which needs some of these services for the handlers).
  const dispatchCommitted: DispatchCommitted = (outboxEntryIds) =>
    outbox.dispatchCommitted(outboxEntryIds);
  const queueNotices = new QueueNoticesService(em, dispatchCommitted);
  const routingFollowUps = new RoutingFollowUps({
    wakeDispatcher,
    conversationsChanged: async (tenantId, conversationIds) => {
      await broadcaster.broadcast(tenantId, { conversationIds });
      queueChanged(tenantId);
    },
    scheduleFirstResponseCheck: (check, delay) =>
      queues.enqueue('first-response-check', check, {
        delay,
        jobId: `first-response-${check.conversationId}-${Date.parse(check.assignedAt)}`,
      }),
  });
  const inboundFollowUps = new InboundFollowUps({
    queues,
    broadcaster,
    wakeDispatcher,
    queueChanged,
    queueNotices,
  });
  const replyFollowUps = new ReplyFollowUps(
    (messageId, jobKey) => queues.enqueue('outbound-send', { messageId }, { jobId: jobKey }),
    broadcaster,
  );
  const operatorFollowUps = new OperatorFollowUps(em, realtime, { wakeDispatcher, queueChanged });
  const pageFollowUps = new PageFollowUps(realtime, { wakeDispatcher, queueChanged });
  // Every kind of outbox entry and who performs it.
  const outbox = new OutboxDispatcher(
    em,
    {
      'inbound-follow-ups': (followUps, entry) => inboundFollowUps.perform(followUps, entry),
      'routing-changed': (change, entry) => routingFollowUps.perform(change, entry),
      'reply-stored': (reply, entry) => replyFollowUps.perform(reply, entry),
      'conversations-changed': (change, entry) => broadcaster.broadcast(entry.tenantId, change),
      'operator-changed': (change, entry) => operatorFollowUps.perform(change, entry),
      'page-deleted': (page, entry) => pageFollowUps.perform(page, entry),
    },
    logger,
  );
  const routing = new RoutingService(em, { wakeDispatcher, dispatchCommitted });
  return { routing, figures, wakeDispatcher, outbox, dispatchCommitted, queueNotices };
}

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
  const passwords = new PasswordHasher();
  const tokens = new TokenService(config);
  const tenants = new TenantsService(em, config, dispatcherWaker(queues));
  // Sessions cut sockets through the realtime server, which authenticates through auth:
  // the server is bound once it exists, before the api accepts any request.
  const sockets: SocketControl = {
    disconnect: (room, except) => realtime.disconnect(room, except),
    leave: (room, unless) => realtime.leave(room, unless),
  };
  const sessions = new SessionsService(em, tokens, sockets);
  const auth = new AuthService(
    em,
    passwords,
    tokens,
    tenants,
    {
      logIn: new LoginThrottle(redis, config.redisPrefix),
      signUp: new SignUpThrottle(redis, config.redisPrefix, config.signUpsPerAddressPerHour),
    },
    sessions,
  );
  const probeRedis = createProbeRedis(config, logger);

  // socket.io must see the server's request listener when it attaches (it routes /socket.io/
  // away from Koa), but Koa's app needs the services, which need socket.io: hence the late bind.
  let handleRequest: RequestListener = (_request, response) => response.writeHead(503).end();
  const server = createServer((request, response) => handleRequest(request, response));
  const { secrets, graph, storage, fileLinks, linkFile, attachmentDownloads } =
    createIntegrations(config);
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
      await conversations.get(actor, conversationId);
      return true;
    },
    logger,
  });
  const signingKeys = new WebhookSigningKeys(em, secrets);
  const sandboxGraph = config.demoMode ? new SandboxGraph(em, secrets, config.publicUrl) : null;
  const { routing, figures, dispatchCommitted } = createRouting(
    em,
    queues,
    realtime,
    linkFile,
    logger,
  );
  const files = new FilesService(em, storage, fileLinks, attachmentDownloads, dispatchCommitted);
  const services = {
    auth,
    tenants,
    departments: new DepartmentsService(em),
    operators: new OperatorsService(
      em,
      passwords,
      dispatchCommitted,
      routing.requeueHeldBy.bind(routing),
      sessions,
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
    ),
    facebookWebhooks: new FacebookWebhooksService(
      em,
      signingKeys,
      new WebhookRefusals(redis, config.redisPrefix, logger, config.webhookUnverifiedPerMinute),
      queues,
      logger,
    ),
    conversations,
    routing,
    replies: new RepliesService(em, conversations, dispatchCommitted, linkFile, files),
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
    queueFigures: figures,
    queueStats: new QueueStatsService(em),
    files,
    demo: new DemoService(em, config),
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

/** The worker process: BullMQ consumers for every job, plus the schedules they own. */
export async function startWorker({
  config,
  orm,
  redis,
  queues,
  logger,
}: Infrastructure): Promise<Stoppable> {
  const em = orm.em as EntityManager;
  const { secrets, graph, storage, fileLinks, linkFile, attachmentDownloads } =
    createIntegrations(config);
  const inbound = new InboundService(em, logger);
  const realtime = new RealtimeEmitter(redis, config.redisPrefix, logger);
  const { routing, wakeDispatcher, outbox, dispatchCommitted, queueNotices } = createRouting(
    em,
    queues,
    realtime,
    linkFile,
    logger,
  );
  const operators = new OperatorsService(
    em,
    new PasswordHasher(),
    dispatchCommitted,
    routing.requeueHeldBy.bind(routing),
    new SessionsService(em, new TokenService(config), realtime),
  );
  const sender = new OutboundSender(
    em,
    graph,
    secrets,
    // Facebook fetches an operator's file from Omni itself, through an expiring signed link.
    (fileId) => new URL(fileLinks.urlFor(fileId), config.publicUrl).toString(),
    dispatchCommitted,
  );
  const outboundSweeper = new OutboundSweeper(em, queues);
  const senderActions = new SenderActionSender(em, graph, secrets);
  const routingSweeper = new RoutingSweeper(
    em,
    new OperatorPresence(redis, config.redisPrefix),
    async (tenantId, userId) => {
      await operators.changeStatus(tenantId, userId, 'offline', 'connection_lost');
    },
    routing,
    wakeDispatcher,
    config.presenceGraceMs,
  );
  const webhookSweeper = new WebhookSweeper(em, queues);
  const files = new FilesService(em, storage, fileLinks, attachmentDownloads, dispatchCommitted);
  const profiles = new ContactProfilesService(em, graph, secrets, dispatchCommitted);
  const subscriptions = new PageSubscriptionsService(em, graph, secrets, logger);
  const removeExpiredWebhookDeliveries = removeExpiredDeliveries(
    new WebhookRetention(em, config.webhookRawBodyRetentionDays),
    logger,
  );
  const removeExpiredOutboxEntries = removeExpiredOutboxFailures(outbox, logger);
  // Each feature declares its jobs; `satisfies` makes a job without its processor a type error.
  const processors = {
    ...heartbeatJobs(redis, config.redisPrefix),
    ...inboundJobs({ inbound, sweeper: webhookSweeper, queues, dispatchCommitted, logger }),
    ...conversationsJobs(profiles, queues),
    ...pageSubscriptionsJobs(subscriptions, logger),
    ...filesJobs(files, logger),
    ...routingJobs({ routing, sweeper: routingSweeper, queueNotices, logger }),
    ...repliesJobs({ sender, sweeper: outboundSweeper, senderActions, queues, logger }),
    ...outboxJobs(outbox, queues, logger),
    // One daily retention job for what two features keep: deliveries, then failed entries.
    'webhook-retention': async () => {
      await removeExpiredWebhookDeliveries();
      await removeExpiredOutboxEntries();
    },
  } satisfies JobProcessors;
  const workers = new JobWorkers({
    connection: redis,
    prefix: config.redisPrefix,
    orm,
    logger,
    processors,
  });
  const schedules = new JobScheduleKeeper(queues, logger);
  await schedules.start();
  await wakeOnStart(queues);
  logger.info('worker is consuming jobs');
  return {
    name: 'worker',
    stop: async () => {
      schedules.stop();
      await workers.close();
    },
  };
}
