import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  registerRandomPage,
  registerRandomUser,
  type FakeGraphServer,
} from '@omni/backend/testing';

/**
 * The fake Graph API lives in the global-setup process; tests run in workers. This small
 * HTTP server lets them reach its controls: register a page or a visitor, read what Omni
 * sent, kill a page's token or withhold a permission from it.
 */
export async function startFakeGraphControl(graph: FakeGraphServer): Promise<{
  url: string;
  close: () => Promise<void>;
}> {
  let baseUrl = '';
  const server: Server = createServer((request, response) => {
    void handle(request).then(
      ({ status, type, body }) => {
        response.writeHead(status, { 'content-type': type });
        response.end(body);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      },
    );
  });

  async function handle(
    request: IncomingMessage,
  ): Promise<{ status: number; type: string; body: string }> {
    const url = new URL(request.url ?? '/', baseUrl);
    const json = (body: unknown) => ({
      status: 200,
      type: 'application/json',
      body: JSON.stringify(body),
    });
    if (request.method === 'POST' && url.pathname === '/pages') {
      const body = (await readJson(request)) as { name?: string };
      const page = registerRandomPage(graph, body.name ? { name: body.name } : {});
      return json(page);
    }
    if (request.method === 'POST' && url.pathname === '/users') {
      const body = (await readJson(request)) as {
        pageId: string;
        firstName: string;
        lastName: string;
      };
      const page = graph.findPage(body.pageId);
      if (!page) return { status: 404, type: 'text/plain', body: 'unknown page' };
      const user = registerRandomUser(graph, page, {
        firstName: body.firstName,
        lastName: body.lastName,
        profilePic: avatarOf(body.firstName),
      });
      return json(user);
    }
    const pageControl = /^\/pages\/(\d+)\/(revoke|scopes)$/.exec(url.pathname);
    if (request.method === 'POST' && pageControl) {
      const page = graph.findPage(pageControl[1]!);
      if (!page) return { status: 404, type: 'text/plain', body: 'unknown page' };
      if (pageControl[2] === 'revoke') graph.revokeToken(page.accessToken, 'expired');
      else graph.setScopes(page.pageId, ((await readJson(request)) as { scopes: string[] }).scopes);
      return json({ ok: true });
    }
    if (request.method === 'GET' && url.pathname === '/sent-messages') {
      return json(graph.sentMessages(url.searchParams.get('pageId') ?? undefined));
    }
    return { status: 404, type: 'text/plain', body: 'not found' };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

/**
 * A picture as a data: URL: the panel's content policy loads images only from https: (where
 * Facebook's CDN is), itself and data:, and this closed network has no https server.
 */
function avatarOf(firstName: string): string {
  const letter = firstName.slice(0, 1).toUpperCase();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128"><rect width="128" height="128" fill="#f59e0b"/><text x="64" y="84" font-size="64" text-anchor="middle" fill="#fff" font-family="sans-serif">${letter}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
