import type { Actor } from '../modules/auth/actor.js';

/** What middleware puts on `ctx.state` for the handlers after it. */
export type AppState = {
  requestId: string;
  actor?: Actor;
};
