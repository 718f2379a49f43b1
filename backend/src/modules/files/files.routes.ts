import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import { servingOf } from './file-content-types.js';
import type { FilesService } from './files.service.js';

const signedLinkQuerySchema = z.object({
  expires: z.coerce.number().int(),
  signature: z.string().regex(/^[0-9a-f]{64}$/, 'Not a link signature.'),
});

/**
 * A stored file can hold anything a visitor or an operator sent (SVG, HTML…). Whatever it
 * is, it never runs as a page of Omni's origin: a sandbox without scripts, no sniffing, and
 * only raster images, audio and video shown in place (file-content-types.ts).
 */
const FILE_CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'";

export function registerFileRoutes(
  router: ApiRouter,
  files: FilesService,
  options: { servedToOtherOrigins: boolean },
): void {
  router.route({
    method: 'get',
    path: '/api/files/:id',
    access: 'public',
    tag: 'Files',
    summary: "A stored attachment, through the signed link in a message's attachments (fileUrl)",
    params: idParamsSchema,
    query: signedLinkQuerySchema,
    responses: {
      200: { description: 'The file' },
      403: errorResponse('LINK_EXPIRED'),
      404: errorResponse('NOT_FOUND'),
    },
    handler: async ({ params, query, ctx }) => {
      const { file, content } = await files.openSigned(params.id, query.expires, query.signature);
      const { contentType, disposition } = servingOf(file.contentType);
      ctx.type = contentType;
      ctx.length = file.size;
      ctx.set('Cache-Control', 'private, max-age=3600');
      ctx.set('Content-Security-Policy', FILE_CONTENT_SECURITY_POLICY);
      ctx.set('X-Content-Type-Options', 'nosniff');
      // With FILES_PUBLIC_URL the panel (another origin) embeds these; helmet says same-origin.
      if (options.servedToOtherOrigins) ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
      ctx.set(
        'Content-Disposition',
        `${disposition}; filename*=UTF-8''${encodeURIComponent(file.fileName ?? 'file')}`,
      );
      return content;
    },
  });
}
