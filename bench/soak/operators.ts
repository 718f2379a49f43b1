import type { Socket } from 'socket.io-client';
import { api } from '../shared/omni-client.js';
import { sleep } from '../shared/processes.js';

/** An operator signed in through the API, online, with the panel's socket.io connection. */
export type OnlineOperator = { userId: string; token: string; socket: Socket };

/** What the operators' REST calls got back, by call and status ("error": no answer). */
export type OperatorCalls = { replies: Record<string, number>; closes: Record<string, number> };

/**
 * Operators at work: each keeps the chats its socket says are assigned to it, and together
 * they reply at `repliesPerS` (round-robin over operators, each answering its longest-held
 * chat) through the REST API, as the panel does; every `closeEvery`-th reply also closes the
 * chat, so the visitor's next message queues it again and routing keeps working too.
 */
export class SimulatedOperators {
  readonly calls: OperatorCalls = { replies: {}, closes: {} };
  /** Per operator: its assigned chats, oldest first (a Set keeps insertion order). */
  private readonly chats: Set<string>[];
  private stopped = false;
  private replies = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly operators: OnlineOperator[],
    private readonly repliesPerS: number,
    private readonly closeEvery: number,
  ) {
    this.chats = operators.map((operator) => {
      const chats = new Set<string>();
      operator.socket.on(
        'conversation.updated',
        (conversation: { id: string; status: string; operatorId: string | null }) => {
          if (conversation.status === 'assigned' && conversation.operatorId === operator.userId)
            chats.add(conversation.id);
          else chats.delete(conversation.id);
        },
      );
      return chats;
    });
  }

  get assignedChats(): number {
    return this.chats.reduce((sum, chats) => sum + chats.size, 0);
  }

  /** Replies on schedule until `stop()`; resolves when the last call has been answered. */
  async run(): Promise<void> {
    const intervalMs = 1000 / this.repliesPerS;
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    for (let sequence = 0; !this.stopped; sequence++) {
      const delay = started + sequence * intervalMs - performance.now();
      if (delay > 0) await sleep(delay);
      const index = sequence % this.operators.length;
      const conversationId = this.chats[index]!.values().next().value;
      if (conversationId === undefined) continue;
      // Answered chats go to the back of the line.
      this.chats[index]!.delete(conversationId);
      this.chats[index]!.add(conversationId);
      const call = this.answer(this.operators[index]!, conversationId).finally(() =>
        inFlight.delete(call),
      );
      inFlight.add(call);
    }
    await Promise.all(inFlight);
  }

  stop(): void {
    this.stopped = true;
  }

  private async answer(operator: OnlineOperator, conversationId: string): Promise<void> {
    const sequence = ++this.replies;
    const path = `/api/conversations/${conversationId}`;
    const replied = await this.call('replies', operator, `${path}/messages`, {
      text: `soak reply ${sequence}`,
    });
    if (replied && sequence % this.closeEvery === 0)
      await this.call('closes', operator, `${path}/close`);
  }

  /** One POST as the operator; counts its status, true when it succeeded. */
  private async call(
    kind: keyof OperatorCalls,
    operator: OnlineOperator,
    path: string,
    body?: unknown,
  ): Promise<boolean> {
    let status: string;
    try {
      await api(this.baseUrl, 'POST', path, body, operator.token);
      status = '2xx';
    } catch (error) {
      // api() throws "<METHOD> <path>: <status> <body>" for an answer that is not 2xx.
      status = /: (\d{3}) /.exec(String(error))?.[1] ?? 'error';
    }
    this.calls[kind][status] = (this.calls[kind][status] ?? 0) + 1;
    return status === '2xx';
  }
}
