import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import type { DeliveryFactory } from './deliveries.js';
import { distribution, round, type Distribution } from '../shared/stats.js';

/** What the client saw of one phase against one server. */
export type LoadResult = {
  kind: 'saturation' | 'fixed-rate';
  connections: number;
  eventsPerDelivery: number;
  /** Epoch ms: the first request, and the moment the load stopped. */
  startedAt: number;
  endedAt: number;
  durationS: number;
  deliveriesSent: number;
  /** Answers by status code; `errors` are requests without an answer (reset, timeout). */
  statuses: Record<string, number>;
  errors: number;
  /** Events in deliveries answered 200, per second from the first send to the last answer. */
  acceptedEventsPerS: number;
  /** The slowest whole second of the phase (events answered 200 in it). */
  slowestSecondEvents: number;
  /** HTTP round trip of every answered request, ms. */
  ackLatencyMs: Distribution;
  /** Fixed rate only: what was offered, and how late the generator itself ran. */
  offeredEventsPerS?: number;
  generatorLagMaxMs?: number;
};

/**
 * Closed loop: `connections` keep-alive connections, each sending its next delivery as soon
 * as the previous one is answered, for `durationS` (autocannon). Measures capacity; latency
 * here is mostly queueing (Little's law: mean latency ≈ connections / throughput).
 */
export async function runSaturation(options: {
  url: string;
  connections: number;
  durationS: number;
  factory: DeliveryFactory;
  phase: string;
  eventsPerDelivery: number;
  onSent?: (mids: string[], sentAt: number) => void;
}): Promise<LoadResult> {
  const { url, connections, durationS, factory, phase, eventsPerDelivery, onSent } = options;
  const before = factory.deliveriesBuilt;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const okAt: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: durationS,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            // Called right before each request is written, so sentAt is the send time.
            setupRequest: (req) => {
              const delivery = factory.next(phase);
              onSent?.(delivery.mids, delivery.sentAt);
              return { ...req, method: 'POST', body: delivery.body, headers: delivery.headers };
            },
          },
        ],
      },
      (error: unknown, result) => (error ? reject(error as Error) : resolve(result)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode === 200) okAt.push(Date.now());
    });
    instance.on('reqError', () => (errors += 1));
  });
  const startedAt = result.start.getTime();
  const endedAt = result.finish.getTime();
  return summarise({
    kind: 'saturation',
    connections,
    eventsPerDelivery,
    startedAt,
    endedAt,
    deliveriesSent: factory.deliveriesBuilt - before,
    statuses,
    errors,
    latencies,
    okAt,
  });
}

/**
 * Open loop: deliveries are started on a fixed schedule (`eventsPerS` events per second)
 * whatever the server does, over at most `connections` keep-alive connections. Latency is
 * counted from when each request was due, so a slow answer that delays the next sends is
 * charged to the server, not hidden (no coordinated omission).
 */
export async function runFixedRate(options: {
  url: string;
  connections: number;
  eventsPerS: number;
  durationS: number;
  factory: DeliveryFactory;
  phase: string;
  eventsPerDelivery: number;
  onSent?: (mids: string[], sentAt: number) => void;
}): Promise<LoadResult> {
  const { url, connections, eventsPerS, durationS, factory, phase, eventsPerDelivery, onSent } =
    options;
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const intervalMs = (1000 * eventsPerDelivery) / eventsPerS;
  const total = Math.round((durationS * 1000) / intervalMs);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const okAt: number[] = [];
  let errors = 0;
  let outstanding = 0;
  let lagMax = 0;
  let allAnswered: () => void = () => {};

  const send = (dueAt: number) => {
    lagMax = Math.max(lagMax, performance.now() - dueAt);
    const delivery = factory.next(phase);
    onSent?.(delivery.mids, delivery.sentAt);
    outstanding += 1;
    // A request that times out after its response began errors on both the request and the
    // response: count it once, or `outstanding` never returns to 0 and the run never ends.
    let finished = false;
    const finish = (statusCode: number | null) => {
      if (finished) return;
      finished = true;
      outstanding -= 1;
      if (statusCode === null) errors += 1;
      else {
        latencies.push(performance.now() - dueAt);
        statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
        if (statusCode === 200) okAt.push(Date.now());
      }
      if (outstanding === 0) allAnswered();
    };
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { ...delivery.headers, 'content-length': Buffer.byteLength(delivery.body) },
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.once('end', () => finish(res.statusCode ?? 0));
        res.once('error', () => finish(null));
      },
    );
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', () => finish(null));
    req.end(delivery.body);
  };

  const before = factory.deliveriesBuilt;
  const startedAt = Date.now();
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
      while (sent < due) send(start + sent++ * intervalMs);
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const endedAt = Date.now();
  // Bounded: every request has its own 10 s timeout.
  if (outstanding > 0) await new Promise<void>((resolve) => (allAnswered = resolve));
  agent.destroy();
  return {
    ...summarise({
      kind: 'fixed-rate',
      connections,
      eventsPerDelivery,
      startedAt,
      endedAt,
      deliveriesSent: factory.deliveriesBuilt - before,
      statuses,
      errors,
      latencies,
      okAt,
    }),
    offeredEventsPerS: eventsPerS,
    generatorLagMaxMs: round(lagMax),
  };
}

function summarise(raw: {
  kind: LoadResult['kind'];
  connections: number;
  eventsPerDelivery: number;
  startedAt: number;
  endedAt: number;
  deliveriesSent: number;
  statuses: Record<string, number>;
  errors: number;
  latencies: number[];
  okAt: number[];
}): LoadResult {
  const durationS = (raw.endedAt - raw.startedAt) / 1000;
  // Answers that came after the last send (an overloaded server) stretch the rate's window.
  const answeredUntil = raw.okAt.reduce((latest, at) => Math.max(latest, at), raw.endedAt);
  const acceptWindowS = (answeredUntil - raw.startedAt) / 1000;
  const perSecond = new Array<number>(Math.max(1, Math.floor(durationS))).fill(0);
  for (const at of raw.okAt) {
    const second = Math.floor((at - raw.startedAt) / 1000);
    if (second < perSecond.length) perSecond[second]! += raw.eventsPerDelivery;
  }
  return {
    kind: raw.kind,
    connections: raw.connections,
    eventsPerDelivery: raw.eventsPerDelivery,
    startedAt: raw.startedAt,
    endedAt: raw.endedAt,
    durationS: round(durationS),
    deliveriesSent: raw.deliveriesSent,
    statuses: raw.statuses,
    errors: raw.errors,
    acceptedEventsPerS: Math.round((raw.okAt.length * raw.eventsPerDelivery) / acceptWindowS),
    slowestSecondEvents: perSecond.reduce((lowest, n) => Math.min(lowest, n), Infinity),
    ackLatencyMs: distribution(raw.latencies),
  };
}
