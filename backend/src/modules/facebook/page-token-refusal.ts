import type { OutboxWrite } from '../../outbox/outbox.js';

/**
 * A 'page-token-refused' entry: Facebook refused the page's token (190) during other work (a
 * send, a profile, a subscription check). Written in the transaction that met the refusal,
 * it has page health record it: the incident, its banner and its mails (PageHealthService).
 */
export function pageTokenRefused(
  tenantId: string,
  pageId: string,
  reason: string,
): OutboxWrite<'page-token-refused'> {
  return { tenantId, kind: 'page-token-refused', payload: { id: pageId, reason } };
}
