import type { EntityManager } from '@mikro-orm/postgresql';
import { JobScheduleKeeper, wakeOnStart } from './jobs/job-schedules.js';
import { JobWorkers } from './jobs/job-workers.js';
import { PasswordHasher } from './modules/auth/password-hasher.js';
import { SessionsService } from './modules/auth/sessions.service.js';
import { TokenService } from './modules/auth/token.service.js';
import { FilesService } from './modules/files/files.service.js';
import { ContactProfilesService } from './modules/conversations/contact-profiles.service.js';
import { conversationsJobs } from './modules/conversations/conversations.jobs.js';
import { inboundJobs, removeExpiredDeliveries } from './modules/facebook/inbound/inbound.jobs.js';
import { pageSubscriptionsJobs } from './modules/facebook/page-subscriptions.jobs.js';
import { filesJobs } from './modules/files/files.jobs.js';
import { repliesJobs } from './modules/replies/replies.jobs.js';
import { routingJobs } from './modules/routing/routing.jobs.js';
import { outboxJobs, removeExpiredOutboxFailures } from './outbox/outbox.jobs.js';
import type { JobProcessors } from './jobs/job-map.js';
import { InboundService } from './modules/facebook/inbound/inbound.service.js';
import { WebhookSweeper } from './modules/facebook/inbound/webhook-sweeper.js';
import { WebhookRetention } from './modules/facebook/inbound/webhook-retention.js';
import { logErrors } from './redis.js';
import { RealtimeEmitter } from './modules/realtime/realtime.emitter.js';
import { PageSubscriptionsService } from './modules/facebook/page-subscriptions.service.js';
import { heartbeatJobs } from './modules/health/heartbeat.jobs.js';
import { OperatorsService } from './modules/operators/operators.service.js';
import { OperatorPresence } from './modules/routing/operator-presence.js';
import { RoutingSweeper } from './modules/routing/routing-sweeper.js';
import { AutoCloseSweeper } from './modules/routing/auto-close-sweeper.js';
import { OutboundSender } from './modules/replies/outbound-sender.js';
import { createMailer } from './modules/mail/mailer.js';
import { mailJobs } from './modules/mail/mail.jobs.js';
import { handoverJobs } from './modules/handover/handover.jobs.js';
import { ThreadReturns } from './modules/handover/thread-handover.service.js';
import { MailService } from './modules/mail/mail.service.js';
import { LinkTokens } from './modules/mail/link-tokens.js';
import { invitationMail } from './modules/invitations/invitation-mail.js';
import { passwordResetMail } from './modules/auth/password-reset-mail.js';
import { pageIncidentMail } from './modules/page-health/page-health-mail.js';
import { pageHealthJobs } from './modules/page-health/page-health.jobs.js';
import { outboundWebhooksJobs } from './modules/outbound-webhooks/outbound-webhooks.jobs.js';
import { WebhookDeliverer } from './modules/outbound-webhooks/webhook-deliverer.js';
import { WebhookDeliverySweeper } from './modules/outbound-webhooks/webhook-delivery-sweeper.js';
import { webhookDisabledMail } from './modules/outbound-webhooks/webhook-disabled-mail.js';
import { PageHealthSweep } from './modules/page-health/page-health-sweep.js';
import { PageProbe } from './modules/page-health/page-probe.js';
import { OutboundSweeper } from './modules/replies/outbound-sweeper.js';
import { SenderActionSender } from './modules/replies/sender-action-sender.js';
import { countingSendApiResults } from './modules/facebook/graph/send-api-counting.js';
import { OmniMetrics } from './modules/metrics/omni-metrics.js';
import {
  publishWorkerMetrics,
  WorkerMetricsSnapshots,
} from './modules/metrics/worker-metrics-snapshots.js';
import {
  createIntegrations,
  createRouting,
  type Infrastructure,
  type Stoppable,
} from './wiring.js';

/** The worker process: BullMQ consumers for every job, plus the schedules they own. */
export async function startWorker({
  config,
  orm,
  redis,
  queues,
  logger,
}: Infrastructure): Promise<Stoppable> {
  const em = orm.em as EntityManager;
  const metrics = new OmniMetrics('worker');
  const integrations = createIntegrations(config);
  const { secrets, graph, storage, fileLinks, attachmentDownloads } = integrations;
  const inbound = new InboundService(em, logger);
  // Its own connection, pipelining what one batch publishes in the same tick into one write.
  const realtimeRedis = logErrors(redis.duplicate({ enableAutoPipelining: true }), logger, 'warn');
  const realtime = new RealtimeEmitter(realtimeRedis, config.redisPrefix, logger);
  const { routing, wakeDispatcher, outbox, dispatchCommitted, queueNotices, pageHealth } =
    createRouting(em, queues, realtime, integrations.links, storage, logger);
  const operators = new OperatorsService(
    em,
    new PasswordHasher(),
    dispatchCommitted,
    routing.requeueHeldBy.bind(routing),
    new SessionsService(em, new TokenService(config), realtime),
  );
  const sender = new OutboundSender(
    em,
    countingSendApiResults(graph, (result, code) => metrics.sendApiAnswered(result, code)),
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
  const mailer = createMailer(config, logger);
  const linkTokens = new LinkTokens(config.jwtSecret);
  const mail = new MailService(
    em,
    mailer,
    {
      invitation: invitationMail(em, linkTokens, config.publicUrl),
      'password-reset': passwordResetMail(em, linkTokens, config.publicUrl),
      'page-incident': pageIncidentMail(em, config.publicUrl),
      'webhook-disabled': webhookDisabledMail(em, config.publicUrl),
    },
    logger,
  );
  // Each feature declares its jobs; `satisfies` makes a job without its processor a type error.
  const processors = {
    ...heartbeatJobs(redis, config.redisPrefix),
    ...inboundJobs({
      inbound,
      sweeper: webhookSweeper,
      queues,
      dispatchCommitted,
      logger,
      countProcessed: (deliveries) => metrics.deliveriesWereProcessed(deliveries),
    }),
    ...conversationsJobs(profiles, queues),
    ...pageSubscriptionsJobs(subscriptions, logger),
    ...filesJobs(files, logger),
    ...routingJobs({
      routing,
      sweeper: routingSweeper,
      autoClose: new AutoCloseSweeper(em, dispatchCommitted),
      queueNotices,
      logger,
    }),
    ...repliesJobs({ sender, sweeper: outboundSweeper, senderActions, logger }),
    ...outboxJobs(outbox, queues, logger),
    ...mailJobs(mail),
    ...outboundWebhooksJobs(
      new WebhookDeliverer(
        em,
        integrations.webhookUrls.http,
        { allowList: integrations.webhookUrls.rule },
        secrets,
        dispatchCommitted,
        (result) => metrics.webhookAttempted(result),
      ),
      new WebhookDeliverySweeper(em, queues),
      logger,
    ),
    ...handoverJobs(new ThreadReturns(em, graph, secrets, dispatchCommitted, logger)),
    ...pageHealthJobs(
      new PageHealthSweep(em),
      new PageProbe(em, graph, secrets, pageHealth, logger),
      queues,
      logger,
    ),
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
    onFinished: (name, waitedMs, ranMs) => metrics.jobFinished(name, waitedMs, ranMs),
  });
  // Only where /metrics is served: otherwise nobody would read what is written.
  const metricsPublisher = config.metricsToken
    ? publishWorkerMetrics(
        metrics.registry,
        new WorkerMetricsSnapshots(redis, config.redisPrefix),
        logger,
      )
    : null;
  const schedules = new JobScheduleKeeper(queues, logger);
  await schedules.start();
  await wakeOnStart(queues);
  logger.info('worker is consuming jobs');
  return {
    name: 'worker',
    stop: async () => {
      schedules.stop();
      await workers.close();
      await metricsPublisher?.stop();
      mailer.close();
      realtimeRedis.disconnect();
    },
  };
}
