import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/**
 * Real HTTP servers on 127.0.0.1 for the file's tests (a CDN, an internal service an
 * attacker aims at), each recording the paths it was asked for; closed after each test.
 */
export function useLoopbackServers() {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((server) => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
      }),
    );
  });
  return async function listen(
    handler: RequestListener = (_request, response) => response.end('secret'),
  ): Promise<{ origin: string; hits: string[] }> {
    const hits: string[] = [];
    const server = createServer((request, response) => {
      hits.push(request.url ?? '');
      handler(request, response);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
  };
}
