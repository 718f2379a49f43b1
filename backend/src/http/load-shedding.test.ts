import { request, type ClientRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useTestApi } from '../testing/test-api.js';

const api = useTestApi({ MAX_REQUESTS_IN_FLIGHT: '2' });

/** A webhook POST of 100 bytes, 10 of them sent: in flight until `finish` sends the rest. */
function holdWebhookRequest(): ClientRequest {
  const held = request(`${api.url}/api/webhooks/facebook/some-tenant-key`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': '100' },
  });
  held.on('error', () => {});
  held.write('{"object":');
  return held;
}

describe('an api answering as many requests as it may', () => {
  it('refuses the next one at once with 503 OVERLOADED and Retry-After, answers /health, and recovers', async () => {
    const held = [holdWebhookRequest(), holdWebhookRequest()];
    try {
      // Both held requests have reached the api once a third is refused.
      let refused = await api.request('GET', '/api/openapi.json');
      for (let tries = 0; refused.status !== 503 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        refused = await api.request('GET', '/api/openapi.json');
      }
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body.error.code).toBe('OVERLOADED');
      expect((await api.request('GET', '/health')).status).toBe(200);
    } finally {
      held.forEach((request) => request.end(' '.repeat(90)));
    }
    let answered = await api.request('GET', '/api/openapi.json');
    for (let tries = 0; answered.status === 503 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answered = await api.request('GET', '/api/openapi.json');
    }
    expect(answered.status).toBe(200);
  });
});
