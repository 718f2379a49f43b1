// The panel with a big workload: a queue of 2,000 conversations and a 5,000-message history,
// scrolled end to end in Debian's Chromium while every animation frame is timed. The API is
// answered by the browser's request interception with generated records, so the figures are
// the panel's own rendering cost, not the server's. Needs `npm run build -w frontend` first.
//
//   npm run bench:panel
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page, type Route } from 'playwright-core';
import { distribution, round } from '../shared/stats.js';

const QUEUE_SIZE = 2_000;
const HISTORY_SIZE = 5_000;
const PAGE_SIZE = 50;
const panelDir = fileURLToPath(new URL('../../frontend/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/** The built panel with the SPA fallback, as Omni serves it. */
function servePanel(): Promise<{ url: string; close: () => void }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    let file = join(panelDir, path);
    if (!file.startsWith(panelDir) || !existsSync(file) || statSync(file).isDirectory()) {
      file = join(panelDir, 'index.html');
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => server.close(),
      }),
    ),
  );
}

const start = Date.parse('2026-01-10T08:00:00.000Z');
const iso = (offsetSeconds: number) => new Date(start + offsetSeconds * 1000).toISOString();

function conversation(index: number) {
  return {
    id: `c-${index}`,
    status: 'queued',
    departmentId: null,
    operatorId: null,
    channel: { type: 'facebook', pageId: '1001', pageName: 'Acme Coffee' },
    contact: {
      id: `contact-${index}`,
      psid: `${7000000000000000 + index}`,
      name: `Visitor ${index}`,
      avatarUrl: null,
      firstContactAt: iso(index),
    },
    lastMessage: message('c-0', index, `Question number ${index} about an order`),
    lastInboundAt: new Date().toISOString(),
    replyWindow: {
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      humanAgentClosesAt: null,
      canReply: true,
      canReplyUntil: new Date(Date.now() + 86_400_000).toISOString(),
      closesSoon: false,
    },
    waitingSince: iso(index),
    queuedAt: iso(index),
    assignedAt: null,
    closedAt: null,
    unreadCount: index % 3,
  };
}

function message(conversationId: string, index: number, text?: string) {
  const isOutbound = index % 3 === 2;
  return {
    id: `m-${index}`,
    conversationId,
    direction: isOutbound ? 'out' : 'in',
    kind: 'text',
    text:
      text ??
      `${isOutbound ? 'Reply' : 'Message'} ${index}: ` +
        'the quick brown fox jumps over the lazy dog. '.repeat(1 + (index % 4)),
    attachments: [],
    source: isOutbound ? 'operator' : 'visitor',
    operatorId: isOutbound ? 'me' : null,
    status: isOutbound ? 'read' : null,
    error: null,
    editedAt: null,
    details: {},
    createdAt: iso(index * 30),
  };
}

function page<T>(items: T[], cursor: string | null) {
  const offset = cursor ? Number(cursor) : 0;
  const slice = items.slice(offset, offset + PAGE_SIZE);
  const next = offset + PAGE_SIZE < items.length ? String(offset + PAGE_SIZE) : null;
  return { items: slice, nextCursor: next };
}

const queue = Array.from({ length: QUEUE_SIZE }, (_, index) => conversation(index));
// Newest page first, each page in time order, as the API answers.
const history = Array.from({ length: HISTORY_SIZE }, (_, index) => message('c-0', index));

let apiCalls = 0;
async function answerApi(route: Route): Promise<void> {
  apiCalls += 1;
  const url = new URL(route.request().url());
  const json = (body: unknown) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  const user = {
    id: 'me',
    email: 'me@example.test',
    name: 'Bench Operator',
    role: 'operator',
    status: 'away',
    maxChats: null,
    departmentIds: [],
    createdAt: iso(0),
  };
  const tenant = {
    id: 't',
    name: 'Bench',
    key: 'k',
    callbackUrl: 'http://x',
    defaultMaxChats: 5,
    firstResponseTimeoutSeconds: null,
    language: 'en',
    queueNoticeEnabled: false,
    offlineNoticeEnabled: false,
  };
  const cursor = url.searchParams.get('cursor');
  switch (true) {
    case url.pathname === '/api/me':
      return json({ user, tenant });
    case url.pathname === '/api/queue':
      return json({ at: new Date().toISOString(), departments: [], operators: [] });
    case url.pathname === '/api/departments':
      return json({ items: [] });
    case url.pathname === '/api/conversations' && url.searchParams.get('status') === 'queued':
      return json(page(queue, cursor));
    case url.pathname === '/api/conversations':
      return json({ items: [], nextCursor: null });
    case url.pathname === '/api/conversations/c-0':
      return json(queue[0]);
    case url.pathname === '/api/conversations/c-0/messages': {
      const offset = cursor ? Number(cursor) : 0;
      const end = HISTORY_SIZE - offset;
      const items = history.slice(Math.max(0, end - PAGE_SIZE), end);
      const next = end - PAGE_SIZE > 0 ? String(offset + PAGE_SIZE) : null;
      return json({ items, nextCursor: next });
    }
    case url.pathname === '/api/conversations/c-0/events':
      return json({ items: [] });
    default:
      return json({});
  }
}

/** Starts timing every animation frame; `stop` returns the gaps between them. */
async function recordFrames(tab: Page): Promise<() => Promise<number[]>> {
  // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
  await tab.evaluate(`(() => {
    window.benchFrames = [];
    window.benchRecording = true;
    let last = performance.now();
    const tick = (now) => {
      window.benchFrames.push(now - last);
      last = now;
      if (window.benchRecording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  return () =>
    tab.evaluate<number[]>(`(() => {
      window.benchRecording = false;
      return window.benchFrames.slice(1);
    })()`);
}

function report(name: string, frames: number[], seconds: number, extra: Record<string, unknown>) {
  const frameTimes = distribution(frames);
  console.log(
    JSON.stringify({
      scenario: name,
      seconds: round(seconds, 1),
      frames: frames.length,
      frameMs: {
        p50: frameTimes.p50,
        p90: frameTimes.p90,
        p99: frameTimes.p99,
        max: frameTimes.max,
      },
      framesOver50ms: frames.filter((frame) => frame > 50).length,
      ...extra,
    }),
  );
}

async function main(): Promise<void> {
  if (!existsSync(join(panelDir, 'index.html'))) {
    throw new Error('frontend/dist is missing: run "npm run build -w frontend" first.');
  }
  const panel = await servePanel();
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.route('**/api/**', answerApi);
    await context.route('**/socket.io/**', (route) => route.abort());
    const tab = await context.newPage();
    await tab.goto(`${panel.url}/login`);
    await tab.evaluate(() => localStorage.setItem('omni.token', 'bench'));

    // 1. The queue: scroll 2,000 rows to the end, loading page after page.
    let began = performance.now();
    await tab.goto(`${panel.url}/workspace`);
    await tab.getByTestId('conversation-row').first().waitFor();
    const firstRowsMs = performance.now() - began;
    const list = tab.getByTestId('conversation-list-queue');
    await list.hover();
    began = performance.now();
    let stop = await recordFrames(tab);
    while ((await tab.locator('[data-conversation-id="c-1999"]').count()) === 0) {
      await tab.mouse.wheel(0, 600);
      await tab.waitForTimeout(16);
      if (performance.now() - began > 120_000) throw new Error('The queue did not reach its end');
    }
    report(
      'queue: 2,000 conversations scrolled to the end',
      await stop(),
      (performance.now() - began) / 1000,
      {
        firstRowsMs: round(firstRowsMs, 0),
        rowsInDom: await tab.getByTestId('conversation-row').count(),
      },
    );

    // 2. The history: open a chat and scroll 5,000 messages up to its beginning.
    began = performance.now();
    await tab.goto(`${panel.url}/workspace/c-0`);
    await tab.getByTestId('message').first().waitFor();
    const firstMessagesMs = performance.now() - began;
    await tab.getByTestId('message-list').hover();
    began = performance.now();
    stop = await recordFrames(tab);
    // Scrolling up, the topmost message on screen may only get older; a newer one means the
    // view jumped when a page of older messages was put in front.
    let jumps = 0;
    let topmost = Infinity;
    while ((await tab.getByText('The beginning of the conversation').count()) === 0) {
      await tab.mouse.wheel(0, -1_500);
      await tab.waitForTimeout(16);
      const seen = await tab.evaluate<number>(`(() => {
        const top = document.querySelector('[data-testid="message-list"]').getBoundingClientRect().top;
        const rows = [...document.querySelectorAll('[data-message-id]')]
          .filter((row) => row.getBoundingClientRect().bottom > top)
          .map((row) => Number(row.dataset.messageId.slice(2)));
        return rows.length ? Math.min(...rows) : Infinity;
      })()`);
      if (seen > topmost + 2) jumps += 1;
      topmost = Math.min(topmost, seen);
      if (performance.now() - began > 300_000)
        throw new Error('The history did not reach its start');
    }
    const frames = await stop();
    report(
      'history: 5,000 messages scrolled to the start',
      frames,
      (performance.now() - began) / 1000,
      {
        firstMessagesMs: round(firstMessagesMs, 0),
        messagesInDom: await tab.getByTestId('message').count(),
        jumps,
        apiCalls,
      },
    );

    // 3. Scrolling back down through the whole loaded history.
    began = performance.now();
    stop = await recordFrames(tab);
    for (let step = 0; step < 200; step += 1) {
      await tab.mouse.wheel(0, 2_000);
      await tab.waitForTimeout(16);
    }
    report(
      'history: scrolling down through 5,000 loaded messages',
      await stop(),
      (performance.now() - began) / 1000,
      {},
    );
  } finally {
    await browser.close();
    panel.close();
  }
}

await main();
