import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { allowEmbeddingElsewhere } from '../../http/embedding.js';
import { errorResponse } from '../../http/schemas.js';
import { NotFoundError } from '../../errors.js';
import { findPersona, findSampleImage, personaPicture } from './demo-identity.js';
import { SAMPLE_PICTURE_PNG_BASE64 } from './demo-sample-pictures.js';
import {
  demoInfoSchema,
  reviewKitSchema,
  simulatorSendSchema,
  simulatorSetupSchema,
  simulatorThreadSchema,
  threadItemSchema,
} from './demo.schemas.js';
import type { DemoDataReset } from './demo-reset.js';
import type { DemoService } from './demo.service.js';
import type { MessengerSimulator } from './messenger-simulator.js';

const personaQuerySchema = z.object({ personaId: z.string().max(100) });
const pictureParamsSchema = z.object({
  file: z.string().regex(/^[a-z]+\.(svg|png)$/, 'Not a picture.'),
});

/** Demo routes: the login page's demo accounts, the simulator, the App Review kit, pictures. */
export function registerDemoRoutes(
  router: ApiRouter,
  {
    demo,
    demoReset,
    simulator,
  }: { demo: DemoService; demoReset: DemoDataReset; simulator: MessengerSimulator | null },
): void {
  router.route({
    method: 'get',
    path: '/api/demo',
    access: 'public',
    tag: 'Demo',
    summary: 'Whether demo mode is on, and then the demo logins (shown on the login page)',
    responses: {
      200: { description: 'Demo mode and its logins', schema: demoInfoSchema },
    },
    handler: () => demo.info(),
  });

  router.route({
    method: 'get',
    path: '/api/demo/review-kit',
    access: 'demo',
    tag: 'Demo',
    summary: "The App Review kit's facts: the reviewer's login and the addresses to visit",
    responses: {
      200: { description: 'The kit', schema: reviewKitSchema },
      403: errorResponse('FORBIDDEN: operators'),
      404: errorResponse('NOT_FOUND: not the demo business, or demo mode is off'),
    },
    handler: ({ actor }) => demo.reviewKit(actor),
  });

  router.route({
    method: 'post',
    path: '/api/demo/reset',
    access: 'admin',
    tag: 'Demo',
    summary:
      "Start the demo's conversations afresh before a recording: the sandbox page is replaced by a new one, without what came through it; logins and real pages stay",
    responses: {
      204: { description: 'Reset' },
      403: errorResponse('FORBIDDEN: not an admin'),
      404: errorResponse('NOT_FOUND: not the demo business, or demo mode is off'),
    },
    handler: ({ actor }) => demoReset.reset(actor),
  });

  const simulatorOrFail = () => {
    if (!simulator) throw new NotFoundError('The Messenger simulator (demo mode only)');
    return simulator;
  };

  router.route({
    method: 'get',
    path: '/api/demo/simulator',
    access: 'demo',
    tag: 'Demo',
    summary: "The simulator's page, personas, quick replies and sample pictures",
    responses: {
      200: { description: 'What the simulator offers', schema: simulatorSetupSchema },
      404: errorResponse('NOT_FOUND: not the demo business, or demo mode is off'),
    },
    handler: ({ actor }) => simulatorOrFail().setup(actor),
  });

  router.route({
    method: 'get',
    path: '/api/demo/simulator/thread',
    access: 'demo',
    tag: 'Demo',
    summary: "One persona's Messenger thread as the visitor sees it",
    query: personaQuerySchema,
    responses: {
      200: { description: 'The thread as the visitor sees it', schema: simulatorThreadSchema },
      404: errorResponse('NOT_FOUND'),
    },
    handler: ({ actor, query }) => simulatorOrFail().thread(actor, query.personaId),
  });

  router.route({
    method: 'post',
    path: '/api/demo/simulator/messages',
    access: 'demo',
    tag: 'Demo',
    summary: "Send as the visitor: a signed webhook to the business's callback URL",
    body: simulatorSendSchema,
    responses: {
      202: { description: 'Delivered to Omni', schema: threadItemSchema },
      400: errorResponse('VALIDATION_FAILED'),
      404: errorResponse('NOT_FOUND'),
      502: errorResponse('WEBHOOK_NOT_DELIVERED: the callback URL did not accept it'),
    },
    handler: ({ actor, body }) => simulatorOrFail().send(actor, body),
  });

  router.route({
    method: 'post',
    path: '/api/demo/simulator/read',
    access: 'demo',
    tag: 'Demo',
    summary: "The visitor saw the page's replies: delivery and read receipts to Omni",
    body: personaQuerySchema,
    responses: {
      202: { description: 'Sent', schema: z.object({}) },
      404: errorResponse('NOT_FOUND'),
    },
    handler: async ({ actor, body }) => {
      await simulatorOrFail().markRead(actor, body.personaId);
      return {};
    },
  });

  // Pictures: the personas' Messenger photos and the samples a visitor can send. Public, as
  // Facebook's CDN links are: Omni's worker downloads the samples like any attachment.
  // Personas' photos stay SVG (the panel shows them by their link); sample pictures are PNG,
  // as Omni's copy of an attachment shows in place only when it is a raster image.
  const pictures = [
    {
      path: '/api/demo/personas/:file',
      summary: "A persona's profile picture",
      extension: '.svg',
      contentType: 'image/svg+xml',
      draw: (name: string) => {
        const persona = findPersona(name);
        return persona && personaPicture(persona);
      },
    },
    {
      path: '/api/demo/media/:file',
      summary: 'A sample picture the simulated visitor can send',
      extension: '.png',
      contentType: 'image/png',
      draw: (name: string) => {
        const image = findSampleImage(name);
        return image && Buffer.from(SAMPLE_PICTURE_PNG_BASE64[image.id], 'base64');
      },
    },
  ];
  for (const { path, summary, extension, contentType, draw } of pictures) {
    router.route({
      method: 'get',
      path,
      access: 'public',
      tag: 'Demo',
      summary,
      params: pictureParamsSchema,
      responses: { 200: { description: contentType }, 404: errorResponse('NOT_FOUND') },
      handler: ({ params, ctx }) => {
        const picture = params.file.endsWith(extension)
          ? draw(params.file.slice(0, -extension.length))
          : undefined;
        if (!picture) throw new NotFoundError('The picture');
        ctx.type = contentType;
        ctx.set('Cache-Control', 'public, max-age=86400');
        allowEmbeddingElsewhere(ctx);
        return picture;
      },
    });
  }
}
