import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGraph } from './fake-graph.js';
import { createFakeGraphApp, FAKE_CDN_PATH } from './fake-graph-router.js';

/**
 * The fake Graph API listening on 127.0.0.1, for tests and the e2e suite: point
 * FACEBOOK_GRAPH_URL (or FetchGraphClient's baseUrl) at `url`. The controls of FakeGraph
 * (registerPage, failNext, sentMessages, …) are methods of the server itself.
 */
export class FakeGraphServer extends FakeGraph {
  private readonly server = createServer(createFakeGraphApp(this).callback());

  /** e.g. "http://127.0.0.1:41234", without a trailing slash or version. */
  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (!address) throw new Error('The fake Graph server is not listening.');
    return `http://127.0.0.1:${address.port}`;
  }

  /** The link of a file published with publishCdnFile. */
  cdnUrl(name: string): string {
    return `${this.url}${FAKE_CDN_PATH}${name}`;
  }

  /** Listens on 127.0.0.1; port 0 (the default) picks a free one. */
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this;
  }

  /** Stops listening and drops open connections, including calls held by a 'timeout'. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

/** Starts a fresh fake Graph API; `close()` it when done. */
export function startFakeGraphServer(options: { port?: number } = {}): Promise<FakeGraphServer> {
  return new FakeGraphServer().listen(options.port);
}
