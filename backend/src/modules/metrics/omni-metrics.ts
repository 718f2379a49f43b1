import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { JobName } from '../../jobs/job-map.js';
import type { WebhookRefusalReason } from '../facebook/webhook-refusals.js';

/** Which process recorded a series: the only label every series of Omni carries. */
export type ProcessRole = 'api' | 'worker';

/** Every metric's name starts with this (Node's default process metrics too). */
export const METRIC_PREFIX = 'omni_';

/** Seconds: from a few milliseconds (a dispatch, a small request) to a minute. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The metrics one process records, in a registry of its own (never prom-client's global
 * one, so tests may start several apis in one process). Labels are bounded sets only:
 * process role, reason codes, queue names, route templates, HTTP methods and statuses;
 * never a tenant, a page, a conversation or anything a request can make up.
 */
export class OmniMetrics {
  readonly registry = new Registry();

  private readonly webhooksReceived: Counter;
  private readonly webhooksVerified: Counter<'outcome'>;
  private readonly webhooksRefused: Counter<'reason'>;
  private readonly deliveriesProcessed: Counter;
  private readonly dispatchLatency: Histogram;
  private readonly sendApiResults: Counter<'result' | 'code'>;
  private readonly outboundWebhookAttempts: Counter<'result'>;
  private readonly jobDuration: Histogram<'queue'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(role: ProcessRole) {
    this.registry.setDefaultLabels({ role });
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
    // Each series only in the registry of the role that records it: no api series of a
    // worker's figure that would stay 0 forever, and the other way round.
    const recordedBy = (owner: ProcessRole) => (owner === role ? [this.registry] : []);
    this.webhooksReceived = new Counter({
      name: `${METRIC_PREFIX}webhook_deliveries_received_total`,
      help: 'Webhook deliveries POSTed to a tenant webhook address',
      registers: recordedBy('api'),
    });
    this.webhooksVerified = new Counter({
      name: `${METRIC_PREFIX}webhook_deliveries_verified_total`,
      help: 'Deliveries whose signature was verified: stored for processing, or ignored with a reason',
      labelNames: ['outcome'],
      registers: recordedBy('api'),
    });
    this.webhooksRefused = new Counter({
      name: `${METRIC_PREFIX}webhook_deliveries_refused_total`,
      help: 'Deliveries not stored, by reason (unsigned, forged, unknown address, throttled…)',
      labelNames: ['reason'],
      registers: recordedBy('api'),
    });
    this.deliveriesProcessed = new Counter({
      name: `${METRIC_PREFIX}webhook_deliveries_processed_total`,
      help: 'Stored deliveries the worker processed (their events applied to conversations)',
      registers: recordedBy('worker'),
    });
    this.dispatchLatency = new Histogram({
      name: `${METRIC_PREFIX}dispatch_latency_seconds`,
      help: "From a tenant's dispatcher being woken to the end of its run (assignments made)",
      buckets: LATENCY_BUCKETS,
      registers: recordedBy('worker'),
    });
    this.sendApiResults = new Counter({
      name: `${METRIC_PREFIX}send_api_results_total`,
      help: 'Send API calls by result (sent, or the kind of failure) and Graph error code',
      labelNames: ['result', 'code'],
      registers: recordedBy('worker'),
    });
    this.outboundWebhookAttempts = new Counter({
      name: `${METRIC_PREFIX}outbound_webhook_attempts_total`,
      help: "Attempts to deliver outbound webhooks to tenants' endpoints, by result (delivered, retrying, failed)",
      labelNames: ['result'],
      registers: recordedBy('worker'),
    });
    this.jobDuration = new Histogram({
      name: `${METRIC_PREFIX}job_duration_seconds`,
      help: 'How long a background job ran, by queue',
      labelNames: ['queue'],
      buckets: LATENCY_BUCKETS,
      registers: recordedBy('worker'),
    });
    this.httpDuration = new Histogram({
      name: `${METRIC_PREFIX}http_request_duration_seconds`,
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: recordedBy('api'),
    });
  }

  /** What the webhook service reports of each delivery (api). */
  readonly webhooks = {
    received: () => this.webhooksReceived.inc(),
    verified: (outcome: 'stored' | 'ignored') => this.webhooksVerified.inc({ outcome }),
    refused: (reason: WebhookRefusalReason) => this.webhooksRefused.inc({ reason }),
  };

  /** Deliveries one inbound drain processed (worker). */
  deliveriesWereProcessed(count: number): void {
    if (count > 0) this.deliveriesProcessed.inc(count);
  }

  /** One Send API call's result: `sent`, or a GraphErrorKind with Facebook's code (worker). */
  sendApiAnswered(result: string, code: number | null): void {
    this.sendApiResults.inc({ result, code: boundGraphCode(code) });
  }

  /** One outbound webhook attempt's result (worker). */
  webhookAttempted(result: 'delivered' | 'retrying' | 'failed'): void {
    this.outboundWebhookAttempts.inc({ result });
  }

  /** A finished job: how long it waited since it was added, and how long it ran (worker). */
  jobFinished(queue: JobName, waitedMs: number, ranMs: number): void {
    this.jobDuration.observe({ queue }, ranMs / 1000);
    if (queue === 'routing-dispatch') this.dispatchLatency.observe((waitedMs + ranMs) / 1000);
  }

  /** One answered HTTP request (api); `route` is the matched template, never the raw path. */
  httpRequestAnswered(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe(
      { method: HTTP_METHODS.has(method) ? method : 'OTHER', route, status: String(status) },
      seconds,
    );
  }
}

/**
 * Facebook's error codes are a documented, finite list of small integers; anything else
 * (a code Omni's sandbox or a broken proxy made up) is one `other` series, not a new one each.
 */
function boundGraphCode(code: number | null): string {
  if (code === null) return 'none';
  const isKnown = knownCodes.has(code) || (code >= 200 && code <= 299); // 2xx: permissions
  return isKnown ? String(code) : 'other';
}

/** The Graph error codes that graph-errors.ts classifies (subcodes are not labelled). */
const knownCodes = new Set([1, 2, 4, 10, 17, 32, 100, 190, 551, 613, 1200, 2018300, 80001, 80006]);
