import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.js';
import { findByIdOrFail } from '../../db/find.js';
import { NotFoundError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';
import {
  HANDOVER_SUBSCRIBED_FIELDS,
  REQUIRED_PERMISSIONS,
  type GraphClient,
} from '../facebook/graph/graph-client.js';
import { GraphApiError } from '../facebook/graph/graph-errors.js';
import type { PageReadiness, ReadinessCheck, ReadinessProblem } from './page-health.schemas.js';
import type { PageProbe, ProbeOutcome } from './page-probe.js';

/**
 * The subscribed fields App Review's screencast relies on: messages in, postbacks, and the
 * delivery, read and echo receipts an operator's reply shows. Omni subscribes to more
 * (SUBSCRIBED_FIELDS); a page without these cannot show the flow Meta reviews.
 */
export const READINESS_SUBSCRIBED_FIELDS = [
  'messages',
  'messaging_postbacks',
  'message_deliveries',
  'message_reads',
  'message_echoes',
] as const;

type Subscription =
  | { kind: 'read'; fields: Set<string> }
  | { kind: 'failed'; problem: ReadinessProblem; reason: string };

/**
 * The App Review co-pilot: whether a page is ready for Meta's review, checked live. It
 * probes the token now (as an admin's "check now" does, so its health is recorded too),
 * reads the page's subscribed fields from Facebook, and adds what Omni knows (webhook
 * verified, first message, Human Agent). Facebook failing to answer makes the affected
 * checks say so; it never fails the whole answer.
 */
export class PageReadinessService {
  constructor(
    private readonly em: EntityManager,
    private readonly graph: Pick<GraphClient, 'getSubscribedFields'>,
    private readonly secrets: SecretBox,
    private readonly probe: Pick<PageProbe, 'probe'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async check(_actor: Actor, id: string): Promise<PageReadiness> {
    const page = await findByIdOrFail(this.em, FacebookPage, id, 'The Facebook page');
    const probedAt = this.clock();
    const outcome = await this.probe.probe(page.id);
    if (outcome === 'gone') throw new NotFoundError('The Facebook page');
    await this.em.refresh(page);
    const probe = probeFinding(page, outcome, probedAt);
    const subscription = page.tokenValid ? await this.readSubscription(page) : null;
    return {
      checks: [
        tokenCheck(page, probe),
        permissionsCheck(page, probe),
        webhookCheck(page),
        subscriptionCheck(subscription, page),
        firstMessageCheck(page),
        humanAgentCheck(page),
      ],
    };
  }

  private async readSubscription(page: FacebookPage): Promise<Subscription> {
    try {
      const fields = await this.graph.getSubscribedFields(
        page.pageId,
        page.openCredentials(this.secrets),
      );
      return { kind: 'read', fields: new Set(fields) };
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      return {
        kind: 'failed',
        problem: problemOf(error),
        reason: error.facebookMessage ?? error.reason,
      };
    }
  }
}

/** What the probe found: Facebook answered (or not), and with an error of its own or not. */
type ProbeFinding = { kind: 'answered' } | { kind: 'unavailable' } | { kind: 'error' };

function probeFinding(page: FacebookPage, outcome: ProbeOutcome, probedAt: Date): ProbeFinding {
  if (outcome === 'unreachable') return { kind: 'unavailable' };
  // A probe Facebook answered with an error other than a dead token records that error and
  // keeps the health it knew: what the page has now is then unknown.
  const failedNow = page.tokenValid && !!page.lastErrorAt && page.lastErrorAt >= probedAt;
  return failedNow ? { kind: 'error' } : { kind: 'answered' };
}

function problemOf(error: GraphApiError): ReadinessProblem {
  if (error.kind === 'invalid_token') return 'token_refused';
  return error.isRetryable ? 'facebook_unavailable' : 'facebook_error';
}

const UNAVAILABLE = 'Facebook did not answer in time; check again in a minute.';

function passed(id: ReadinessCheck['id'], detail: string): ReadinessCheck {
  return { id, ok: true, detail, problem: null, missing: [] };
}

function failed(
  id: ReadinessCheck['id'],
  problem: ReadinessProblem,
  detail: string,
  missing: string[] = [],
): ReadinessCheck {
  return { id, ok: false, detail, problem, missing };
}

function tokenCheck(page: FacebookPage, probe: ProbeFinding): ReadinessCheck {
  if (probe.kind === 'unavailable') return failed('token', 'facebook_unavailable', UNAVAILABLE);
  if (!page.tokenValid) {
    return failed(
      'token',
      'token_refused',
      `Facebook refuses the page's access token${page.lastError ? ` (${page.lastError})` : ''}. Paste a new token in the page's settings.`,
    );
  }
  return passed('token', "Facebook accepts the page's access token.");
}

function permissionsCheck(page: FacebookPage, probe: ProbeFinding): ReadinessCheck {
  if (probe.kind === 'unavailable') {
    return failed('permissions', 'facebook_unavailable', UNAVAILABLE);
  }
  if (!page.tokenValid) {
    return failed(
      'permissions',
      'token_refused',
      'Unknown while Facebook refuses the token: debug_token describes a valid token only.',
    );
  }
  if (probe.kind === 'error') {
    return failed(
      'permissions',
      'facebook_error',
      `debug_token could not be read: ${page.lastError ?? 'Facebook refused the call.'}`,
    );
  }
  const missing = [...page.missingPermissions];
  if (missing.length > 0) {
    return failed(
      'permissions',
      'missing',
      `Missing: ${missing.join(', ')}. Generate a page token that grants ${missing.length === 1 ? 'it' : 'them'} and paste it in the page's settings.`,
      missing,
    );
  }
  return passed('permissions', `Granted: ${REQUIRED_PERMISSIONS.join(', ')}.`);
}

function webhookCheck(page: FacebookPage): ReadinessCheck {
  if (!page.webhookVerifiedAt) {
    return failed(
      'webhook',
      'not_verified',
      "Facebook has not verified the callback URL yet: enter the callback URL and the verify token in the app's Messenger webhook settings.",
    );
  }
  return passed(
    'webhook',
    `Facebook verified the callback URL on ${page.webhookVerifiedAt.toISOString()}.`,
  );
}

function subscriptionCheck(
  subscription: Subscription | null,
  page: Pick<FacebookPage, 'handoverEnabled'>,
): ReadinessCheck {
  // Beside a bot, threads it controls arrive only through the handover fields.
  const needed: readonly string[] = page.handoverEnabled
    ? [...READINESS_SUBSCRIBED_FIELDS, ...HANDOVER_SUBSCRIBED_FIELDS]
    : READINESS_SUBSCRIBED_FIELDS;
  if (!subscription) {
    return failed(
      'subscription',
      'token_refused',
      "Unknown while Facebook refuses the token: the page's subscription is read with it.",
    );
  }
  if (subscription.kind === 'failed') {
    return failed(
      'subscription',
      subscription.problem,
      subscription.problem === 'facebook_unavailable'
        ? UNAVAILABLE
        : `Facebook did not list the page's subscription: ${subscription.reason}`,
    );
  }
  const missing = needed.filter((field) => !subscription.fields.has(field));
  if (missing.length > 0) {
    return failed(
      'subscription',
      'missing',
      `Missing: ${missing.join(', ')}. Omni subscribes the page again within 30 minutes, or at once when its token is saved again.`,
      missing,
    );
  }
  return passed('subscription', `Subscribed to: ${needed.join(', ')}.`);
}

function firstMessageCheck(page: FacebookPage): ReadinessCheck {
  if (!page.lastEventAt) {
    return failed(
      'first_message',
      'no_message',
      'No message has reached Omni yet: write to the page in Messenger and watch it arrive.',
    );
  }
  return passed(
    'first_message',
    `Omni receives the page's messages (the latest event on ${page.lastEventAt.toISOString()}).`,
  );
}

function humanAgentCheck(page: FacebookPage): ReadinessCheck {
  if (!page.humanAgentEnabled) {
    return failed(
      'human_agent',
      'off',
      "Human Agent is off: operators can reply only within 24 hours of the visitor's last message. Request the Human Agent feature in App Review, then turn it on in the page's settings.",
    );
  }
  return passed(
    'human_agent',
    "Human Agent is on: operators may reply up to 7 days after the visitor's last message, with the HUMAN_AGENT tag.",
  );
}
