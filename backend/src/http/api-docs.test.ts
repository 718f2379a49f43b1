import { describe, expect, it } from 'vitest';
import { useTestApi } from '../testing/test-api.js';

const api = useTestApi();

/** Every URL the page's markup loads: scripts, styles, images, icons. */
function referencedUrls(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]!);
}

describe('GET /api/docs', () => {
  it('is an HTML page that loads only files of this origin', async () => {
    const response = await api.request('GET', '/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const urls = referencedUrls(response.body as string);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) {
      expect(url).toMatch(/^\/api\/docs\/[\w.-]+$/);
      const asset = await api.request('GET', url);
      expect(asset.status, url).toBe(200);
      expect(asset.headers.get('content-type'), url).toMatch(
        url.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/,
      );
    }
    expect(response.body).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script
  });

  it('renders /api/openapi.json without Swagger’s online validator', async () => {
    const start = await api.request('GET', '/api/docs/start.js');
    expect(start.body).toContain("url: '/api/openapi.json'");
    expect(start.body).toContain('validatorUrl: null');
    expect((await api.request('GET', '/api/openapi.json')).status).toBe(200);
  });

  it("keeps the app's Content-Security-Policy: the page needs no exception", async () => {
    const docs = await api.request('GET', '/api/docs');
    const health = await api.request('GET', '/health');
    const policy = docs.headers.get('content-security-policy');
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).toBe(health.headers.get('content-security-policy'));
  });

  it('serves no other file of the renderer package', async () => {
    for (const path of ['/api/docs/package.json', '/api/docs/index.html', '/api/docs/../app.js'])
      expect((await api.request('GET', path)).status, path).toBe(404);
  });
});
