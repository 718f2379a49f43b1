import { describe, expect, inject, it } from 'vitest';
import { artifactsDir, useBrowser } from './browser.js';

/**
 * The API documentation for people, in Chromium with the network cut off: every request
 * that does not go to Omni itself is aborted, and the page must still render the operations
 * (Swagger UI comes from the installed package, not from a CDN).
 */
const browser = useBrowser();

describe('API documentation', () => {
  it('renders the OpenAPI document offline, under the app’s own CSP', async () => {
    const baseUrl = inject('baseUrl');
    const context = await browser().newContext();
    const leftOmni: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === baseUrl) return route.continue();
      leftOmni.push(url);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(`${baseUrl}/api/docs`);
      const summaries = page.locator('.opblock-summary-description');
      await expect
        .poll(() => summaries.filter({ hasText: 'Prometheus metrics of the api' }).count())
        .toBe(1);
      await expect
        .poll(() => summaries.filter({ hasText: 'Whether PostgreSQL and Redis answer' }).count())
        .toBe(1);
      expect(await summaries.count()).toBeGreaterThan(50);
      await page.screenshot({ path: `${artifactsDir}/api-docs.png` }); // the top, for a person
      expect(leftOmni).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
