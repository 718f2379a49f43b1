import type { Context } from 'koa';

/**
 * Lets a page of another origin show this response in an <img>. Pictures that stand in for
 * Facebook's CDN (the demo visitors' photos) are absolute links on PUBLIC_URL, which need not
 * be the address the panel was opened at (127.0.0.1 for localhost). Only for public pictures.
 */
export function allowEmbeddingElsewhere(ctx: Context): void {
  ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
}
