import { webhookEventValues } from '@/api/schema';

/** Every event a webhook may ask for, in the backend's order (generated from the API's enum). */
export const WEBHOOK_EVENTS = webhookEventValues;
