/**
 * Every background job and its payload. Payloads carry ids, never secrets; each job is
 * idempotent because PostgreSQL decides, so a job that runs twice changes nothing.
 * Each job name is its own BullMQ queue, so workers scale and back off per kind of work.
 */
import type { MailRequest } from '../modules/mail/mail.service.js';

export type JobPayloads = {
  /** Records that a worker process is alive (read by /health). */
  'worker-heartbeat': Record<string, never>;
  /**
   * Processes stored webhook deliveries in batches until none is pending. Woken per lane
   * (wake-ups of a lane merge); lanes run side by side.
   */
  'inbound-drain': { lane: string };
  /** Checks every active page's subscription to the app and renews it when Facebook dropped it. */
  'page-subscription-check': Record<string, never>;
  /** Once a day: queues a 'page-health-check' per active page, spread over an hour. */
  'page-health-sweep': Record<string, never>;
  /** Probes one page's token and permissions (job id: the page and the day). */
  'page-health-check': { pageId: string };
  /** Keeps Omni's own copy of an inbound attachment (Facebook's links expire). */
  'attachment-download': { messageId: string; index: number };
  /** Fetches visitors' names and photos from the User Profile API (`attempt`: of a retry). */
  'contact-profiles': { contactIds: string[]; attempt?: number };
  /** Wakes the inbound drainers when stored deliveries wait (lost wake-ups, Redis outages, crashes). */
  'webhook-sweep': Record<string, never>;
  /** Deletes finished webhook deliveries (raw bodies) older than WEBHOOK_RAW_BODY_RETENTION_DAYS. */
  'webhook-retention': Record<string, never>;
  /** Assigns a tenant's waiting conversations to free operators until none can be. */
  'routing-dispatch': { tenantId: string };
  /**
   * Takes offline the operators whose panels are all gone past the grace period, and wakes
   * the dispatcher of every tenant with waiting conversations (a lost wake-up only delays).
   */
  'routing-sweep': Record<string, never>;
  /** Closes assigned chats whose visitor was silent for the tenant's autoCloseAfterMinutes. */
  'auto-close-sweep': Record<string, never>;
  /** The first-response timeout of one automatic assignment (job id: conversation + time). */
  'first-response-check': { conversationId: string; assignedAt: string };
  /** Sends one stored reply through the Send API (job id: the message id, then per retry). */
  'outbound-send': { messageId: string };
  /** "Seen" or "typing…" to the visitor, best effort (a refusal is logged, not retried). */
  'sender-action': { conversationId: string; action: 'mark_seen' | 'typing_on' };
  /** The automatic message to a visitor who started waiting, if the tenant wants one. */
  'queue-notice': { conversationId: string };
  /** Re-enqueues replies stored but never sent (lost jobs, Redis outages). */
  'outbound-sweep': Record<string, never>;
  /**
   * Performs outbox entries that the process committing them did not (it died, or the fast
   * path failed) and retries failed ones: a crash after a commit delays its effects only.
   */
  'outbox-dispatch': Record<string, never>;
  /** One mail (an invitation, a reset link), written from its record when it is sent. */
  'mail-send': MailRequest;
  /**
   * One attempt of an outbound webhook delivery (job id: the delivery id); a failed one runs
   * again later under the same id (RunAgainLater), with exponential backoff for a day.
   */
  'webhook-delivery': { tenantId: string; deliveryId: string };
  /** Queues again the pending webhook deliveries whose jobs were lost. */
  'webhook-delivery-sweep': Record<string, never>;
  /** Passes a closed conversation's thread back to the page's primary app (handover). */
  'thread-control-pass': { conversationId: string };
};

export type JobName = keyof JobPayloads;

export const JOB_NAMES = [
  'worker-heartbeat',
  'inbound-drain',
  'webhook-sweep',
  'webhook-retention',
  'contact-profiles',
  'page-subscription-check',
  'page-health-sweep',
  'page-health-check',
  'attachment-download',
  'routing-dispatch',
  'routing-sweep',
  'auto-close-sweep',
  'first-response-check',
  'outbound-send',
  'outbound-sweep',
  'sender-action',
  'queue-notice',
  'outbox-dispatch',
  'mail-send',
  'webhook-delivery',
  'webhook-delivery-sweep',
  'thread-control-pass',
] as const satisfies readonly JobName[];

/**
 * Jobs run 4 at a time per worker process, except these. A send is mostly waiting for the
 * Graph API (hundreds of milliseconds in production), so 4 at a time capped a worker at
 * about a dozen replies a second however idle it was.
 */
export const JOB_CONCURRENCY: Partial<Record<JobName, number>> = {
  'outbound-send': 32,
  'sender-action': 16,
  'attachment-download': 8,
  // Mostly waiting for the tenants' endpoints (up to 10 s each).
  'webhook-delivery': 16,
};

/**
 * A processor's answer that its work cannot be done yet: the same job (its id unchanged, so
 * nobody takes it for lost and queues another) runs again after `runAgainInMs`.
 */
export type RunAgainLater = { runAgainInMs: number };

/**
 * Jobs retried longer than the default (5 attempts from 1 s): a mail server may be down for
 * hours, and the mail is still wanted (10 attempts from 30 s: about 8 hours in all).
 */
export const JOB_RETRIES: Partial<Record<JobName, { attempts: number; firstDelayMs: number }>> = {
  'mail-send': { attempts: 10, firstDelayMs: 30_000 },
};

/** What a worker runs for each job: a thin call into a service. */
export type JobProcessors = {
  [N in JobName]: (payload: JobPayloads[N]) => Promise<void | RunAgainLater>;
};
