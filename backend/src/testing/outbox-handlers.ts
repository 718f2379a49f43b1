import type { OutboxHandlers } from '../outbox/outbox-map.js';

/**
 * Handlers for a test's own dispatcher: the kinds the test writes, and a refusal for every
 * other kind (a new kind needs no change in every test).
 */
export function handlersFor(handlers: Partial<OutboxHandlers>): OutboxHandlers {
  const refuse = async () => {
    throw new Error('This test writes no outbox entries of this kind');
  };
  return {
    'inbound-follow-ups': refuse,
    'routing-changed': refuse,
    'reply-stored': refuse,
    'conversations-changed': refuse,
    'operator-changed': refuse,
    'page-deleted': refuse,
    'note-stored': refuse,
    'mail-requested': refuse,
    'page-token-refused': refuse,
    'page-health-changed': refuse,
    'csat-requested': refuse,
    'department-menu-due': refuse,
    'department-menu-unsent': refuse,
    'visitor-erased': refuse,
    'thread-returned': refuse,
    ...handlers,
  };
}
