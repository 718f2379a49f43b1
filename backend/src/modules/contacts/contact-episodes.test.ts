import { describe, expect, it } from 'vitest';
import { buildEpisodes, type LoggedConversation, type LoggedEvent } from './contact-episodes.js';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, minute));
const conversation: LoggedConversation = {
  id: 'c1',
  createdAt: at(0),
  status: 'assigned',
  operatorId: 'bob',
  closedAt: null,
};
const event = (
  minute: number,
  type: LoggedEvent['type'],
  operatorId: string | null = null,
): LoggedEvent => ({ conversationId: 'c1', type, operatorId, occurredAt: at(minute) });

describe("a visitor's episodes", () => {
  it('are the open→close stretches of the log, the current one still open', () => {
    const episodes = buildEpisodes(
      [conversation],
      [
        event(0, 'queued'),
        event(1, 'assigned', 'ann'),
        event(5, 'requeued', 'ann'),
        event(6, 'taken', 'carl'),
        event(9, 'closed', 'carl'),
        event(30, 'queued'),
        event(31, 'assigned', 'bob'),
      ],
    );
    expect(episodes).toEqual([
      { conversationId: 'c1', openedAt: at(0), closedAt: at(9), operatorId: 'carl', after: null },
      { conversationId: 'c1', openedAt: at(30), closedAt: null, operatorId: 'bob', after: at(9) },
    ]);
  });

  it('count an episode closed while waiting as served by nobody, and start anew on any event after a close', () => {
    const episodes = buildEpisodes(
      [{ ...conversation, status: 'closed' }],
      [
        event(0, 'queued'),
        event(2, 'closed'),
        event(10, 'assigned', 'ann'),
        event(12, 'closed', 'ann'),
      ],
    );
    expect(
      episodes.map((episode) => [episode.openedAt, episode.closedAt, episode.operatorId]),
    ).toEqual([
      [at(0), at(2), null],
      [at(10), at(12), 'ann'],
    ]);
  });

  it('take a conversation without a log as one episode from its record', () => {
    expect(buildEpisodes([{ ...conversation, status: 'closed', closedAt: at(20) }], [])).toEqual([
      { conversationId: 'c1', openedAt: at(0), closedAt: at(20), operatorId: 'bob', after: null },
    ]);
  });
});
