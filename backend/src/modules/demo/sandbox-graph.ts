import type { EntityManager } from '@mikro-orm/postgresql';
import type { Middleware } from 'koa';
import type { SecretBox } from '../../crypto/secret-box.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';
import { createFakeGraphRouter } from '../facebook/fake-graph/fake-graph-router.js';
import { FakeGraph } from '../facebook/fake-graph/fake-graph.js';
import { PERSONAS, personaPsid } from './demo-identity.js';

/** How often the sandbox looks for sandbox pages created by another process (demo:reset). */
const RELOAD_INTERVAL_MS = 3_000;

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
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretBox,
    /** Where persona pictures are served, e.g. "http://localhost:5001". */
    private readonly publicUrl: string,
  ) {}

  /** Registers every sandbox page (and its personas) the database holds. */
  load(): Promise<void> {
    this.loading ??= this.readPages().finally(() => {
      this.loading = null;
      this.loadedAt = Date.now();
    });
    return this.loading;
  }

  private async readPages(): Promise<void> {
    const pages = await this.em
      .fork()
      .find(FacebookPage, { sandbox: true }, { filters: { [TENANT_FILTER]: false } });
    for (const page of pages) {
      this.graph.registerPage({
        pageId: page.pageId,
        name: page.pageName,
        accessToken: this.secrets.decrypt(page.accessTokenSealed),
        appSecret: this.secrets.decrypt(page.appSecretSealed),
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
    }
  }

  /** The Graph API's routes under `prefix`, reloading pages another process may have made. */
  middleware(prefix: string): Middleware {
    // The router types its own state; mounted in the api, it is one middleware among others.
    const routes = createFakeGraphRouter(this.graph, { prefix }).routes() as unknown as Middleware;
    return async (ctx, next) => {
      if (ctx.path !== prefix && !ctx.path.startsWith(`${prefix}/`)) return next();
      if (Date.now() - this.loadedAt > RELOAD_INTERVAL_MS) await this.load();
      return routes(ctx, next);
    };
  }
}
