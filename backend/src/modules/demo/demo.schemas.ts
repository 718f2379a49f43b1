import { z } from 'zod';
import { USER_ROLES } from '../operators/user.entity.js';

/** A seeded account of the demo business, shown on the login page and in the App Review kit. */
export const demoLoginSchema = z
  .object({
    role: z.enum(USER_ROLES),
    name: z.string(),
    email: z.string(),
    password: z.string(),
  })
  .meta({ id: 'DemoLogin' });

export type DemoLogin = z.infer<typeof demoLoginSchema>;

export const demoInfoSchema = z
  .object({
    enabled: z.boolean(),
    logins: z.array(demoLoginSchema).meta({ description: 'Empty when demo mode is off' }),
  })
  .meta({ id: 'DemoInfo' });

export type DemoInfo = z.infer<typeof demoInfoSchema>;

export const reviewKitSchema = z
  .object({
    loginUrl: z.string(),
    panelUrl: z.string(),
    simulatorUrl: z.string(),
    callbackUrl: z.string(),
    dataDeletionUrl: z.string().meta({
      description: "The demo business's public data deletion page (App settings → Basic)",
    }),
    pageName: z.string(),
    logins: z.array(demoLoginSchema).meta({ description: "The reviewer's login" }),
    pages: z
      .array(
        z
          .object({
            id: z.string(),
            name: z.string(),
            pageName: z.string(),
            pageId: z.string(),
            sandbox: z.boolean(),
            messengerUrl: z.string().meta({ description: 'https://m.me/<pageId>' }),
          })
          .meta({ id: 'ReviewKitPage' }),
      )
      .meta({
        description:
          "The business's active pages, the sandbox page first: a real one replaces the simulator in the reviewer's steps (real-Page mode)",
      }),
  })
  .meta({ id: 'ReviewKit' });

export type ReviewKit = z.infer<typeof reviewKitSchema>;

/** What the simulated visitor sends: a text, a sample picture, or a quick reply. */
export const simulatorSendSchema = z
  .object({
    personaId: z.string(),
    text: z.string().trim().min(1).max(2000).optional(),
    imageId: z.string().optional(),
    quickReplyPayload: z.string().max(1000).optional(),
    hoursAgo: z.number().int().min(0).max(168).optional().meta({
      description:
        "Dates the message this many hours back (at most 7 days): a reply to it shows Human Agent's window after 24 h",
    }),
  })
  .refine((input) => input.text !== undefined || input.imageId !== undefined, {
    message: 'Send a text or a picture.',
    path: ['text'],
  })
  .meta({ id: 'SimulatorMessageInput' });

export type SimulatorSendInput = z.infer<typeof simulatorSendSchema>;

export const simulatorSetupSchema = z
  .object({
    page: z
      .object({ pageId: z.string(), name: z.string() })
      .meta({ description: "The demo business's sandbox page" }),
    personas: z.array(
      z
        .object({ id: z.string(), name: z.string(), avatarUrl: z.string() })
        .meta({ id: 'SimulatorPersona', description: 'A made-up Messenger user to write as' }),
    ),
    quickReplies: z.array(z.object({ title: z.string(), payload: z.string() })),
    sampleImages: z.array(z.object({ id: z.string(), title: z.string(), url: z.string() })),
  })
  .meta({ id: 'SimulatorSetup' });

export type SimulatorSetup = z.infer<typeof simulatorSetupSchema>;

export const threadItemSchema = z
  .object({
    id: z.string(),
    from: z.enum(['visitor', 'page']),
    text: z.string().nullable(),
    imageUrl: z.string().nullable(),
    at: z.iso.datetime(),
    status: z
      .enum(['sent', 'delivered', 'seen'])
      .nullable()
      .meta({ description: "The visitor's own messages: posted, acknowledged, seen by the page" }),
    quickReplies: z.array(z.object({ title: z.string(), payload: z.string() })).meta({
      description:
        "The page's quick replies on this message (Messenger shows the newest message's as buttons)",
    }),
    tag: z.string().nullable().meta({
      description: "The Send API tag of the page's reply (HUMAN_AGENT after 24 h); null otherwise",
    }),
  })
  .meta({ id: 'SimulatorThreadItem' });

export type ThreadItem = z.infer<typeof threadItemSchema>;

export const simulatorThreadSchema = z
  .object({
    items: z.array(threadItemSchema).meta({ description: 'Oldest first' }),
    typing: z.boolean().meta({ description: 'The page shows "typing…" right now' }),
  })
  .meta({ id: 'SimulatorThread' });

export type SimulatorThread = z.infer<typeof simulatorThreadSchema>;
