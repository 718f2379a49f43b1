import { createHmac } from 'node:crypto';
import type * as Fixtures from '../../backend/dist/testing/messenger-fixtures.js';

/** One signed POST: the exact bytes, their headers, and when it was built (= sent). */
export type SignedDelivery = {
  body: string;
  headers: Record<string, string>;
  sentAt: number;
  mids: string[];
};

/**
 * Builds deliveries as Facebook sends them (the project's own fixtures and serialisation),
 * each with unique mids and visitors taken round-robin from `visitors` PSIDs, and signs the
 * exact bytes with the page's app secret. Every message text carries the phase, a sequence
 * number and the send time (`bench <phase> <seq>.<i> <epoch ms>`), which is how the stored
 * rows are matched to their POST afterwards.
 */
export class DeliveryFactory {
  private deliverySeq = 0;
  private eventSeq = 0;

  constructor(
    private readonly fixtures: typeof Fixtures,
    private readonly page: { pageId: string; appSecret: string },
    private readonly eventsPerDelivery: number,
    private readonly visitors: number,
  ) {}

  get deliveriesBuilt(): number {
    return this.deliverySeq;
  }

  next(phase: string): SignedDelivery {
    const { delivery, entry, textMessage, serialiseLikeFacebook } = this.fixtures;
    const seq = ++this.deliverySeq;
    const sentAt = Date.now();
    const mids: string[] = [];
    const items = [];
    for (let i = 0; i < this.eventsPerDelivery; i += 1) {
      const mid = `m_bench_${phase}_${seq}_${i}`;
      const psid = psidOf(this.eventSeq++ % this.visitors);
      mids.push(mid);
      items.push(
        textMessage({
          pageId: this.page.pageId,
          psid,
          mid,
          at: sentAt,
          text: `bench ${phase} ${seq}.${i} ${sentAt}`,
        }),
      );
    }
    const body = serialiseLikeFacebook(delivery(entry(this.page.pageId, ...items)));
    const signature = createHmac('sha256', this.page.appSecret).update(body).digest('hex');
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${signature}`,
      },
      sentAt,
      mids,
    };
  }
}

/** The PSID of visitor number `n` (0 ≤ n < visitors). */
export function psidOf(n: number): string {
  return String(7_000_000_000_000_000 + n);
}

/** `bench <phase> <seq>.<i> <sentAt>` → its phase and send time. */
export function parseBenchText(text: string): { phase: string; sentAt: number } | null {
  const match = /^bench (\S+) \d+\.\d+ (\d+)$/.exec(text);
  return match ? { phase: match[1]!, sentAt: Number(match[2]) } : null;
}
