import { http } from './http';
import type {
  CreatedWebhookSubscription,
  OutboundWebhookDelivery,
  ResponseBody,
  WebhookSubscription,
  WebhookSubscriptionCreateInput,
  WebhookSubscriptionUpdateInput,
} from './types';

const BASE = '/api/webhook-subscriptions';
const at = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

/** The workspace's outbound webhooks, newest first (admins). */
export async function listWebhookSubscriptions(): Promise<WebhookSubscription[]> {
  const { items } = await http.get<ResponseBody<'/api/webhook-subscriptions', 'get'>>(BASE);
  return items;
}

/** A new subscription: the answer's `secret` is the only time it is shown. */
export function createWebhookSubscription(
  input: WebhookSubscriptionCreateInput,
): Promise<CreatedWebhookSubscription> {
  return http.post<CreatedWebhookSubscription>(BASE, input);
}

export function updateWebhookSubscription(
  id: string,
  input: WebhookSubscriptionUpdateInput,
): Promise<WebhookSubscription> {
  return http.patch<WebhookSubscription>(at(id), input);
}

export function deleteWebhookSubscription(id: string): Promise<void> {
  return http.delete(at(id));
}

/** The subscription's latest deliveries, newest first. */
export async function listWebhookDeliveries(id: string): Promise<OutboundWebhookDelivery[]> {
  const { items } = await http.get<
    ResponseBody<'/api/webhook-subscriptions/{id}/deliveries', 'get'>
  >(`${at(id)}/deliveries`);
  return items;
}

/** Sends a finished delivery once more, now, with the same id. */
export function retryWebhookDelivery(
  id: string,
  deliveryId: string,
): Promise<OutboundWebhookDelivery> {
  return http.post<OutboundWebhookDelivery>(
    `${at(id)}/deliveries/${encodeURIComponent(deliveryId)}/retry`,
  );
}
