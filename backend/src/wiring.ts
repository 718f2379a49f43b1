import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { JobQueues } from './jobs/job-queues.js';
import type { Logger } from './logger.js';
import { SandboxAwareGraphClient } from './modules/demo/sandbox-aware-graph-client.js';
import { SecretBox } from './crypto/secret-box.js';
import { createFileStorage } from './modules/files/file-storage.js';
import { FileUrlSigner } from './modules/files/file-url-signer.js';
import { OutboundHttp } from './modules/outbound-http/outbound-http.js';
import { UrlAllowList } from './modules/outbound-http/url-allow-list.js';
import { WebhookUrlRule } from './modules/outbound-http/webhook-url-rule.js';
import { WebhookProducer } from './modules/outbound-webhooks/webhook-producer.js';
import { ConversationBroadcaster } from './modules/conversations/conversation-broadcaster.js';
import { InboundFollowUps } from './modules/facebook/inbound/inbound-follow-ups.js';
import { FetchGraphClient } from './modules/facebook/graph/fetch-graph-client.js';
import type {
  RealtimeHistory,
  RealtimePublisher,
  SocketControl,
} from './modules/realtime/realtime.events.js';
import { ReplyFollowUps } from './modules/replies/reply-follow-ups.js';
import { QueueNoticesService } from './modules/routing/queue-notices.service.js';
import { CsatSurveysService } from './modules/csat/csat-surveys.service.js';
import { DepartmentMenuService } from './modules/department-menu/department-menu.service.js';
import { RoutingFollowUps } from './modules/routing/routing-follow-ups.js';
import { RoutingService, type WakeDispatcher } from './modules/routing/routing.service.js';
import { OperatorFollowUps } from './modules/operators/operator-follow-ups.js';
import { PageFollowUps } from './modules/facebook/page-follow-ups.js';
import { PageHealthFollowUps } from './modules/page-health/page-health-follow-ups.js';
import { PageHealthService } from './modules/page-health/page-health.service.js';
import { NoteFollowUps } from './modules/notes/note-follow-ups.js';
import { QueueFiguresPublisher } from './modules/routing/queue-figures-publisher.js';
import { QueueFiguresService } from './modules/routing/queue-figures.service.js';
import { OutboxDispatcher } from './outbox/outbox-dispatcher.js';
import type { DispatchCommitted } from './outbox/outbox.js';
import type { OutboxEntryRef, OutboxHandlers, OutboxKind } from './outbox/outbox-map.js';
import type { FileStorage } from './modules/files/file-storage.js';

/*
 * What both processes build alike: the infrastructure main.ts hands them, the integrations,
 * and the queue with every outbox handler. Each process's own graph is in api.ts / worker.ts.
 */

/** Something main.ts stops, in reverse order of starting, on SIGTERM. */
export type Stoppable = { name: string; stop: () => Promise<void> };

/** What main.ts opens once per process and hands to its role. */
export type Infrastructure = {
  config: Config;
  orm: MikroORM;
  redis: Redis;
  queues: JobQueues;
  logger: Logger;
};

/** What both processes use to reach Facebook and stored files. */
export function createIntegrations(config: Config) {
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
    // Outbound webhooks: one guard (OutboundHttp) for their URLs when saved and when sent.
    webhookUrls: {
      http: new OutboundHttp(),
      rule: new WebhookUrlRule(config.allowPrivateWebhookUrls),
    },
    linkFile: (fileId: string) => fileLinks.urlFor(fileId),
    links: {
      forPanels: (fileId: string) => fileLinks.urlFor(fileId),
      // Webhook receivers are not on Omni's origin: absolute links.
      forReceivers: (fileId: string) =>
        new URL(fileLinks.urlFor(fileId), config.publicUrl).toString(),
    },
  };
}

export function dispatcherWaker(queues: JobQueues): WakeDispatcher {
  return (tenantId) => queues.wake('routing-dispatch', { tenantId }, tenantId);
}

/**
 * The queue and the outbox, as both processes use them: changes pushed to the panels,
 * dispatch woken by job, and what a committed change must cause performed from the outbox
 * (at once by the process that committed it; the worker's sweep performs what is left).
 */
export function createRouting(
  em: EntityManager,
  queues: JobQueues,
  realtime: RealtimePublisher & SocketControl & RealtimeHistory,
  linkFile: { forPanels: (fileId: string) => string; forReceivers: (fileId: string) => string },
  storage: Pick<FileStorage, 'remove'>,
  logger: Logger,
) {
  const broadcaster = new ConversationBroadcaster(em, realtime, linkFile.forPanels);
  const webhooks = new WebhookProducer(em, queues, linkFile.forReceivers);
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
  const csatSurveys = new CsatSurveysService(em, dispatchCommitted);
  const departmentMenu = new DepartmentMenuService(em, dispatchCommitted);
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
  const noteFollowUps = new NoteFollowUps(em, broadcaster, realtime, linkFile.forPanels);
  const pageHealth = new PageHealthService(em, dispatchCommitted, logger);
  const pageHealthFollowUps = new PageHealthFollowUps(pageHealth, realtime);
  // Every kind of outbox entry and who performs it; then the webhook deliveries it means.
  const outbox = new OutboxDispatcher(
    em,
    followedByWebhooks(webhooks, {
      'inbound-follow-ups': (followUps, entry) => inboundFollowUps.perform(followUps, entry),
      'routing-changed': (change, entry) => routingFollowUps.perform(change, entry),
      'reply-stored': (reply, entry) => replyFollowUps.perform(reply, entry),
      'conversations-changed': (change, entry) => broadcaster.broadcast(entry.tenantId, change),
      'operator-changed': (change, entry) => operatorFollowUps.perform(change, entry),
      'page-deleted': (page, entry) => pageFollowUps.perform(page, entry),
      'note-stored': (note, entry) => noteFollowUps.perform(note, entry),
      'mail-requested': (mail, entry) =>
        queues.enqueue('mail-send', { ...mail, tenantId: entry.tenantId }, { jobId: entry.id }),
      'page-token-refused': (refusal, entry) =>
        pageHealth.recordTokenRefusal(entry.tenantId, refusal.id, refusal.reason),
      'page-health-changed': (change, entry) => pageHealthFollowUps.perform(change, entry),
      'csat-requested': async ({ conversationIds }) => {
        for (const conversationId of conversationIds) await csatSurveys.request(conversationId);
      },
      'department-menu-due': async ({ offers }) => {
        for (const offer of offers) await departmentMenu.offer(offer.conversationId, offer.message);
      },
      'department-menu-unsent': ({ conversationId }) =>
        departmentMenu.queueWithoutChoice(conversationId).then(() => undefined),
      // Removing bytes that are gone already is no error: performing it twice is harmless.
      'visitor-erased': async (erased, entry) => {
        await storage.remove(erased.storageKeys);
        // Before the stand-in is announced, so a replay keeps that and drops the rest.
        await realtime.forget(entry.tenantId, erased.conversationIds);
        await broadcaster.broadcast(entry.tenantId, { conversationIds: erased.conversationIds });
        if (erased.wakeDispatcher) await wakeDispatcher(entry.tenantId);
        queueChanged(entry.tenantId);
      },
      'thread-returned': async ({ conversationIds }, entry) => {
        for (const conversationId of conversationIds) {
          await queues.enqueue(
            'thread-control-pass',
            { conversationId },
            { jobId: `thread-pass-${entry.id}-${conversationId}` },
          );
        }
      },
    }),
    logger,
  );
  const routing = new RoutingService(em, { wakeDispatcher, dispatchCommitted });
  return {
    routing,
    figures,
    wakeDispatcher,
    outbox,
    dispatchCommitted,
    queueNotices,
    pageHealth,
  };
}

/**
 * Each handler, then the outbound webhook deliveries its entry means (webhookEventsOf): the
 * same committed entries drive the panels' events and the webhooks. Both steps are
 * idempotent, so an entry performed again (at least once) repeats neither.
 */
function followedByWebhooks(webhooks: WebhookProducer, handlers: OutboxHandlers): OutboxHandlers {
  const followed: Partial<Record<OutboxKind, unknown>> = {};
  for (const kind of Object.keys(handlers) as OutboxKind[]) {
    const handler = handlers[kind] as (payload: never, entry: OutboxEntryRef) => Promise<void>;
    followed[kind] = async (payload: never, entry: OutboxEntryRef) => {
      await handler(payload, entry);
      await webhooks.produce(kind, payload, entry);
    };
  }
  return followed as OutboxHandlers;
}
