import type { UrlRule } from './outbound-http.js';

/**
 * Where outbound webhooks may go: any https URL whose host resolves to public addresses
 * only (checked when the subscription is saved, and again at every delivery, on the very
 * addresses the request connects to). `allowPrivate` (ALLOW_PRIVATE_WEBHOOK_URLS, for
 * development and tests) also allows plain http and loopback or private addresses.
 * Credentials in the URL are refused either way: they would show in the panel and the logs.
 */
export class WebhookUrlRule implements UrlRule {
  constructor(private readonly allowPrivate: boolean) {}

  match(url: URL): { mustBePublic: boolean } | null {
    if (url.username || url.password) return null;
    if (url.protocol === 'https:') return { mustBePublic: !this.allowPrivate };
    if (url.protocol === 'http:' && this.allowPrivate) return { mustBePublic: false };
    return null;
  }
}
