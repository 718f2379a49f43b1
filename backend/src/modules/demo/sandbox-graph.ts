import type { EntityManager } from '@mikro-orm/postgresql';
import type { Middleware } from 'koa';
import type { SecretBox } from '../../crypto/secret-box.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';
import { createFakeGraphRouter } from '../fake-graph/fake-graph-router.js';
import { FakeGraph } from '../fake-graph/fake-graph.js';
import { SUBSCRIBED_FIELDS } from '../facebook/graph/graph-client.js';
import { PERSONAS, personaPsid } from './demo-identity.js';

/**
 * Omni's own Graph API for the demo's sandbox pages: the fake Graph of the tests (one
 * implementation of the platform's facts), mounted in the api at SANDBOX_GRAPH_PATH. It
 * knows the sandbox pages stored in the database and their personas, answers the calls Omni
 * makes for them like Facebook would, and records what Omni sent: the Messenger simulator
 * shows those replies to the visitor. The recording lives in this process: demo mode runs
 * one api instance.
 */
export class SandboxGraph {
  readonly graph = new FakeGraph();
  private loading: { startedAt: number; done: Promise<void> } | null = null;

  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretBox,
    /** Where persona pictures are served, e.g. "http://localhost:5001". */
    private readonly publicUrl: string,
  ) {}

  /**
   * Registers every sandbox page (and its personas) the database holds, as read by a query
   * that starts after this call, so a page committed before it is seen; concurrent callers
   * share one read.
   */
  async load(): Promise<void> {
    const calledAt = performance.now();
    while (this.loading && this.loading.startedAt < calledAt) await this.loading.done;
    if (!this.loading) {
      const startedAt = performance.now();
      const done = this.readPages().finally(() => {
        if (this.loading?.done === done) this.loading = null;
      });
      this.loading = { startedAt, done };
    }
    await this.loading.done;
  }

  private async readPages(): Promise<void> {
    const pages = await this.em
      .fork()
      .find(FacebookPage, { sandbox: true }, { filters: { [TENANT_FILTER]: false } });
    for (const page of pages) {
      const isNew = !this.graph.findPage(page.pageId);
      this.graph.registerPage({
        pageId: page.pageId,
        name: page.pageName,
        ...page.openCredentials(this.secrets),
      });
      for (const persona of PERSONAS) {
        this.graph.registerUser({
          pageId: page.pageId,
          psid: personaPsid(page.pageId, persona.id),
          firstName: persona.firstName,
          lastName: persona.lastName,
          profilePic: `${this.publicUrl}/api/demo/personas/${persona.id}.svg`,
        });
      }
      // The seeder counts the page as set up: it is subscribed to the app from the start.
      if (isNew) this.graph.setSubscription(page.pageId, [...SUBSCRIBED_FIELDS]);
    }
  }

  /**
   * The Graph API's routes under `prefix`. A token it does not know yet may be a page that
   * another process made since it last looked (demo:seed, demo:reset): it reads the database
   * again before refusing it, so the first call for a new page never fails.
   */
  middleware(prefix: string): Middleware {
    const router = createFakeGraphRouter(this.graph, {
      prefix,
      lookUpToken: () => this.load(),
    });
    // The router types its own state; mounted in the api, it is one middleware among others.
    const routes = router.routes() as unknown as Middleware;
    return async (ctx, next) => {
      if (ctx.path !== prefix && !ctx.path.startsWith(`${prefix}/`)) return next();
      return routes(ctx, next);
    };
  }
}
