import { describe, expect, it } from 'vitest';
import type { SimulatorThreadItem } from '@/api/types';
import { layoutThread, offeredQuickReplies } from './simulator-thread';

function item(
  id: string,
  from: 'visitor' | 'page',
  at: string,
  status: SimulatorThreadItem['status'] = null,
): SimulatorThreadItem {
  return {
    id,
    from,
    text: id,
    imageUrl: null,
    at: `2026-01-10T${at}:00.000Z`,
    status,
    quickReplies: [],
    tag: null,
  };
}

describe('layoutThread', () => {
  it('groups consecutive messages of one side, and starts a new group after a pause', () => {
    const rows = layoutThread([
      item('v1', 'visitor', '08:00', 'seen'),
      item('v2', 'visitor', '08:01', 'seen'),
      item('p1', 'page', '08:02'),
      item('p2', 'page', '08:30'),
    ]);

    expect(rows.map((row) => [row.item.id, row.isFirstInGroup, row.isLastInGroup])).toEqual([
      ['v1', true, false],
      ['v2', false, true],
      ['p1', true, true],
      ['p2', true, true],
    ]);
    expect(rows.filter((row) => row.showsTime).map((row) => row.item.id)).toEqual(['v1', 'p2']);
  });

  it('puts the status line under the visitor’s last message only', () => {
    const rows = layoutThread([
      item('v1', 'visitor', '08:00', 'seen'),
      item('v2', 'visitor', '08:01', 'delivered'),
      item('p1', 'page', '08:02'),
    ]);

    expect(rows.filter((row) => row.showsStatus).map((row) => row.item.id)).toEqual(['v2']);
  });

  it('lays out an empty thread as nothing', () => {
    expect(layoutThread([])).toEqual([]);
  });
});

describe('offeredQuickReplies', () => {
  const examples = [{ title: 'Track my order', payload: 'TRACK_ORDER' }];
  const menu = [{ title: 'Billing', payload: 'DEPARTMENT:c:d' }];

  it("offers the page's newest quick replies until the visitor answers, else the examples", () => {
    const asked = { ...item('p1', 'page', '08:01'), quickReplies: menu };
    expect(offeredQuickReplies([item('v1', 'visitor', '08:00', 'seen'), asked], examples)).toBe(
      menu,
    );
    expect(offeredQuickReplies([asked, item('v2', 'visitor', '08:02', 'sent')], examples)).toBe(
      examples,
    );
    expect(offeredQuickReplies([asked, item('p2', 'page', '08:02')], examples)).toBe(examples);
    expect(offeredQuickReplies([], examples)).toBe(examples);
  });
});
