import type { WebhookEvent } from '@/api/types';

/**
 * Every event a webhook may ask for, in the order the form offers them. Typed against the
 * API's enum both ways, so an event the backend adds fails the typecheck until it is listed.
 */
export const WEBHOOK_EVENTS = [
  'conversation.created',
  'conversation.assigned',
  'conversation.closed',
  'message.created',
  'message.updated',
] as const satisfies readonly WebhookEvent[];

type Unlisted = Exclude<WebhookEvent, (typeof WEBHOOK_EVENTS)[number]>;
/** Fails to compile while an event of the API is missing above. */
export const EVERY_EVENT_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;
