import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { errorResponse, idParamsSchema } from '../../http/schemas.js';
import type { FilesService } from './files.service.js';

const signedLinkQuerySchema = z.object({
  expires: z.coerce.number().int(),
  signature: z.string().regex(/^[0-9a-f]{64}$/, 'Not a link signature.'),
});

const INLINE_TYPES = /^(image|video|audio)\//;

export function registerFileRoutes(router: ApiRouter, files: FilesService): void {
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
      ctx.type = file.contentType;
      ctx.length = file.size;
      ctx.set('Cache-Control', 'private, max-age=3600');
      // Media plays inline; anything else downloads, so a stored HTML file never runs as a page.
      const disposition = INLINE_TYPES.test(file.contentType) ? 'inline' : 'attachment';
      ctx.set(
        'Content-Disposition',
        `${disposition}; filename*=UTF-8''${encodeURIComponent(file.fileName ?? 'file')}`,
      );
      return content;
    },
  });
}
