import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import { untranslated } from './untranslated.js';
import {
  api,
  createBusiness,
  createOperator,
  deliver,
  openPanel,
  registerVisitor,
  setStatus,
  visitorMessage,
} from './workspace-fixtures.js';

/**
 * Reports end to end: real traffic (visitors write through the webhook, the dispatcher gives
 * the chats to an operator, who answers some and closes some), then the Reports screen shows
 * the API's figures, and its CSV export downloads the same numbers.
 */
const browser = useBrowser();

type Figures = { conversations: number; closedWhileWaiting: number; avgHandlingSeconds: number };
type Report = { rows: (Figures & { label: string })[]; totals: Figures };

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('Not within 20 s');
}

describe('reports', () => {
  it('show the figures of the traffic, and export the same numbers as CSV', async () => {
    const business = await createBusiness();
    const token = business.adminToken;
    const operator = await createOperator(business, 'Olga Operator');
    await setStatus(operator.token, 'online');
    for (const [first, last] of [
      ['Karim', 'Khan'],
      ['Mia', 'Moreau'],
      ['Ravi', 'Rao'],
      ['Lena', 'Lind'],
    ] as const) {
      const visitor = await registerVisitor(business, first, last);
      await deliver(business, [visitorMessage(business, visitor, `Hello, this is ${first}`)]);
    }
    const { items } = await eventually(
      () => api<{ items: { id: string }[] }>(operator.token, 'GET', '/api/conversations?mine=true'),
      (list) => list.items.length === 4,
    );
    for (const conversation of items.slice(0, 2)) {
      await api(operator.token, 'POST', `/api/conversations/${conversation.id}/messages`, {
        text: 'Hi! How can I help?',
      });
    }
    for (const conversation of items.slice(0, 3)) {
      await api(operator.token, 'POST', `/api/conversations/${conversation.id}/close`);
    }

    const panel = await openPanel(browser(), token, '/admin/reports');
    const asked = await panel.waitForRequest((request) => request.url().includes('/api/reports?'));
    const totalsRow = panel.getByTestId('reports-totals');
    await totalsRow.waitFor();
    const query = new URL(asked.url()).search;
    const report = await api<Report>(token, 'GET', `/api/reports${query}`);
    expect(report.totals.conversations).toBe(4);
    expect(report.totals.closedWhileWaiting).toBe(0);
    const cells = await totalsRow.locator('td').allTextContents();
    expect(cells[0]).toBe('4');

    const [download] = await Promise.all([
      panel.waitForEvent('download'),
      panel.getByTestId('reports-export').click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\r\n');
    const header = csv[0]!.split(',');
    const totals = csv.at(-1)!.split(',');
    const column = (name: string) => totals[header.indexOf(name)];
    expect(column('label')).toBe('Total');
    expect(column('conversations')).toBe(String(report.totals.conversations));
    expect(column('avgHandlingSeconds')).toBe(String(report.totals.avgHandlingSeconds));
    expect(csv).toHaveLength(report.rows.length + 2);
    await saveScreenshot(panel, 'reports-en');

    for (const locale of ['ru', 'bn'] as const) {
      const translated = await openPanel(browser(), token, '/admin/reports', locale);
      await translated.getByTestId('reports-totals').waitFor();
      expect(await untranslated(translated)).toEqual([]);
      await saveScreenshot(translated, `reports-${locale}`);
    }
  });
});
