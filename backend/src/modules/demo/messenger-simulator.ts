import { createHmac, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.js';
import { DEMO_MEDIA_PATH } from '../../config.js';
import { AppError, NotFoundError, ValidationError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import {
  PERSONAS,
  QUICK_REPLIES,
  SAMPLE_IMAGES,
  findPersona,
  findSampleImage,
  personaPsid,
  type Persona,
} from './demo-identity.js';
import type {
  SimulatorSendInput,
  SimulatorSetup,
  SimulatorThread,
  ThreadItem,
} from './demo.schemas.js';
import type { SandboxGraph } from './sandbox-graph.js';

/** Seconds a page's "typing…" lasts on the visitor's screen without a new action (Messenger: ~20). */
const TYPING_SHOWN_MS = 20_000;
const HOUR_MS = 60 * 60 * 1000;

type VisitorMessage = {
  mid: string;
  text: string | null;
  imageUrl: string | null;
  at: Date;
  deliveredAt: Date | null;
};

/**
 * The Messenger simulator's server side: it plays the visitor of the demo's sandbox page.
 * Each message becomes a real webhook delivery, signed with the page's app secret and
 * posted to the tenant's callback URL, the same path Facebook's take; the page's answers
 * are read from the sandbox Graph API's record of what Omni sent.
 */
export class MessengerSimulator {
  private readonly sent = new Map<string, VisitorMessage[]>();

  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretBox,
    private readonly sandbox: SandboxGraph,
    private readonly publicUrl: string,
    private readonly postWebhook: typeof fetch = fetch,
  ) {}

  async setup(actor: Actor): Promise<SimulatorSetup> {
    const page = await this.sandboxPage(actor);
    return {
      page: { pageId: page.pageId, name: page.pageName },
      personas: PERSONAS.map((persona) => ({
        id: persona.id,
        name: `${persona.firstName} ${persona.lastName}`,
        avatarUrl: `${this.publicUrl}/api/demo/personas/${persona.id}.svg`,
      })),
      quickReplies: QUICK_REPLIES.map(({ title, payload }) => ({ title, payload })),
      sampleImages: SAMPLE_IMAGES.map(({ id, title }) => ({ id, title, url: this.imageUrl(id) })),
    };
  }

  async send(actor: Actor, input: SimulatorSendInput): Promise<ThreadItem> {
    const page = await this.sandboxPage(actor);
    const persona = this.persona(input.personaId);
    const psid = personaPsid(page.pageId, persona.id);
    const image = input.imageId === undefined ? undefined : findSampleImage(input.imageId);
    if (input.imageId !== undefined && !image) {
      throw new ValidationError({ imageId: 'There is no such sample picture.' });
    }
    const mid = `m_${randomBytes(18).toString('base64url')}`;
    // Backdated, the message opens a reply window that has already passed its 24 hours.
    const at = new Date(Date.now() - (input.hoursAgo ?? 0) * HOUR_MS);
    const message: Record<string, unknown> = { mid };
    if (input.text !== undefined) message['text'] = input.text;
    if (input.quickReplyPayload !== undefined) {
      message['quick_reply'] = { payload: input.quickReplyPayload };
    }
    if (image) {
      message['attachments'] = [{ type: 'image', payload: { url: this.imageUrl(image.id) } }];
    }
    const record: VisitorMessage = {
      mid,
      text: input.text ?? null,
      imageUrl: image ? this.imageUrl(image.id) : null,
      at,
      deliveredAt: null,
    };
    this.threadOf(page.pageId, psid).push(record);
    await this.deliver(page, [
      { sender: { id: psid }, recipient: { id: page.pageId }, timestamp: at.getTime(), message },
    ]);
    record.deliveredAt = new Date();
    return this.visitorItem(record, page.pageId, psid);
  }

  /** The visitor saw the page's replies: Messenger's delivery and read receipts. */
  async markRead(actor: Actor, personaId: string): Promise<void> {
    const page = await this.sandboxPage(actor);
    const psid = personaPsid(page.pageId, this.persona(personaId).id);
    const replies = this.sandbox.graph
      .sentMessages(page.pageId)
      .filter((message) => message.recipientId === psid);
    if (replies.length === 0) return;
    const watermark = Date.now();
    const sender = { id: psid };
    const recipient = { id: page.pageId };
    await this.deliver(page, [
      {
        sender,
        recipient,
        timestamp: watermark,
        delivery: { mids: replies.map((reply) => reply.messageId), watermark },
      },
      { sender, recipient, timestamp: watermark, read: { watermark } },
    ]);
  }

  async thread(actor: Actor, personaId: string): Promise<SimulatorThread> {
    const page = await this.sandboxPage(actor);
    const psid = personaPsid(page.pageId, this.persona(personaId).id);
    const replies = this.sandbox.graph
      .sentMessages(page.pageId)
      .filter((message) => message.recipientId === psid);
    const items: ThreadItem[] = [
      ...this.threadOf(page.pageId, psid).map((record) =>
        this.visitorItem(record, page.pageId, psid),
      ),
      ...replies.map((reply) => ({
        id: reply.messageId,
        from: 'page' as const,
        text: reply.text,
        imageUrl: attachmentUrl(reply.message),
        at: reply.at.toISOString(),
        status: null,
        quickReplies: quickRepliesOf(reply.message),
        tag: reply.tag,
      })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    const lastTyping = this.lastAction(page.pageId, psid, 'typing_on');
    const lastReply = replies.at(-1)?.at;
    const typing =
      !!lastTyping &&
      Date.now() - lastTyping.getTime() < TYPING_SHOWN_MS &&
      (!lastReply || lastReply < lastTyping);
    return { items, typing };
  }

  private visitorItem(record: VisitorMessage, pageId: string, psid: string): ThreadItem {
    const seenAt = this.lastAction(pageId, psid, 'mark_seen');
    return {
      id: record.mid,
      from: 'visitor',
      text: record.text,
      imageUrl: record.imageUrl,
      at: record.at.toISOString(),
      status: seenAt && seenAt >= record.at ? 'seen' : record.deliveredAt ? 'delivered' : 'sent',
      quickReplies: [],
      tag: null,
    };
  }

  private lastAction(pageId: string, psid: string, action: string): Date | undefined {
    return this.sandbox.graph
      .sentSenderActions(pageId)
      .filter((entry) => entry.recipientId === psid && entry.action === action)
      .at(-1)?.at;
  }

  private threadOf(pageId: string, psid: string): VisitorMessage[] {
    const key = `${pageId}:${psid}`;
    let thread = this.sent.get(key);
    if (!thread) this.sent.set(key, (thread = []));
    return thread;
  }

  /** Posts one signed delivery to the tenant's callback URL, as Facebook does. */
  private async deliver(page: FacebookPage, messaging: object[]): Promise<void> {
    const tenant = await this.em.findOneOrFail(Tenant, { id: page.tenant.id });
    const body = JSON.stringify({
      object: 'page',
      entry: [{ id: page.pageId, time: Date.now(), messaging }],
    });
    const signature = createHmac('sha256', page.openAppSecret(this.secrets))
      .update(body)
      .digest('hex');
    const response = await this.postWebhook(tenant.callbackUrl(this.publicUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
      body,
    }).catch(() => null);
    if (!response?.ok) {
      throw new AppError(
        'WEBHOOK_NOT_DELIVERED',
        `Omni's callback URL did not accept the message${response ? ` (HTTP ${response.status})` : ''}. Check PUBLIC_URL: the server must reach itself there.`,
        502,
      );
    }
  }

  /** The demo tenant's sandbox page; anyone else gets 404, as for any unknown resource. */
  private async sandboxPage(actor: Actor): Promise<FacebookPage> {
    const page = await this.em.findOne(FacebookPage, { tenant: actor.tenantId, sandbox: true });
    if (!page) throw new NotFoundError('The Messenger simulator (a demo business only)');
    return page;
  }

  private persona(personaId: string): Persona {
    const persona = findPersona(personaId);
    if (!persona) throw new ValidationError({ personaId: 'There is no such persona.' });
    return persona;
  }

  private imageUrl(imageId: string): string {
    return `${this.publicUrl}${DEMO_MEDIA_PATH}${imageId}.png`;
  }
}

function attachmentUrl(message: Record<string, unknown>): string | null {
  const attachment = message['attachment'] as { payload?: { url?: unknown } } | undefined;
  return typeof attachment?.payload?.url === 'string' ? attachment.payload.url : null;
}

/** The text quick replies the page sent with a message (a survey, the department menu). */
function quickRepliesOf(message: Record<string, unknown>): ThreadItem['quickReplies'] {
  const quickReplies = message['quick_replies'];
  if (!Array.isArray(quickReplies)) return [];
  return quickReplies.flatMap((reply: { title?: unknown; payload?: unknown }) =>
    typeof reply.title === 'string' && typeof reply.payload === 'string'
      ? [{ title: reply.title, payload: reply.payload }]
      : [],
  );
}
