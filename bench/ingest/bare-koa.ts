/**
 * The baseline: a bare Koa app whose only middleware answers 200 "EVENT_RECEIVED" (what Omni
 * answers), without reading the body. Started by run.ts in its own process, like Omni, so it
 * competes with the load generator for the CPU exactly as Omni does.
 *   node --import tsx bench/ingest/bare-koa.ts <port>
 */
import Koa from 'koa';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) throw new Error('Usage: bare-koa.ts <port>');

const app = new Koa();
app.use((ctx) => {
  ctx.status = 200;
  ctx.type = 'text/plain';
  ctx.body = 'EVENT_RECEIVED';
});
app.listen(port, '127.0.0.1', () => console.log(`bare Koa listening on ${port}`));
process.once('SIGTERM', () => process.exit(0));
