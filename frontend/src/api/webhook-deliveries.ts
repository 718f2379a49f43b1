import { http } from './http';
import type { DeliveryReplay, ResponseBody } from './types';

const encode = encodeURIComponent;

export type WebhookDeliveriesPage = ResponseBody<'/api/channels/facebook/{id}/deliveries', 'get'>;

/** A page of a Facebook page's webhook deliveries, newest first (admins only). */
export function listPageDeliveries(
  pageId: string,
  cursor?: string | null,
): Promise<WebhookDeliveriesPage> {
  const search = cursor ? `?cursor=${encode(cursor)}` : '';
  return http.get<WebhookDeliveriesPage>(
    `/api/channels/facebook/${encode(pageId)}/deliveries${search}`,
  );
}

/** Processes a stored delivery again; 409 RAW_BODY_NOT_KEPT when its content is not kept. */
export function replayPageDelivery(pageId: string, deliveryId: string): Promise<DeliveryReplay> {
  return http.post<DeliveryReplay>(
    `/api/channels/facebook/${encode(pageId)}/deliveries/${encode(deliveryId)}/replay`,
  );
}
