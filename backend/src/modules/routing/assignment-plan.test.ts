import { describe, expect, it } from 'vitest';
import { planAssignments, type CandidateOperator, type WaitingChat } from './assignment-plan.js';

const chat = (id: string, fields: Partial<WaitingChat> = {}): WaitingChat => ({
  id,
  departmentId: null,
  lastOperatorId: null,
  timedOutOperatorId: null,
  ...fields,
});

const operator = (id: string, fields: Partial<CandidateOperator> = {}): CandidateOperator => ({
  id,
  load: 0,
  capacity: 5,
  lastAssigned: null,
  departmentIds: new Set(),
  ...fields,
});

const pairs = (plan: ReturnType<typeof planAssignments>) =>
  plan.map((step) => `${step.conversationId}→${step.operatorId}`);

describe('planAssignments', () => {
  it('takes the least loaded, then the longest idle (never assigned first), in chat order', () => {
    const plan = planAssignments(
      [chat('1'), chat('2'), chat('3'), chat('4')],
      [
        operator('a', { load: 1, lastAssigned: 100 }),
        operator('b', { load: 1, lastAssigned: 50 }),
        operator('c', { load: 2 }),
        operator('d', { load: 1, lastAssigned: null }),
      ],
    );
    expect(pairs(plan)).toEqual(['1→d', '2→b', '3→a', '4→c']);
  });

  it('respects capacity, departments and a timed-out operator; skips what nobody can take', () => {
    const plan = planAssignments(
      [
        chat('sales', { departmentId: 'S' }),
        chat('support', { departmentId: 'T', timedOutOperatorId: 'b' }),
        chat('any'),
        chat('more'),
      ],
      [
        operator('a', { departmentIds: new Set(['S']), load: 4 }),
        operator('b', { departmentIds: new Set(['T']) }),
        operator('full', { capacity: 0 }),
      ],
    );
    expect(pairs(plan)).toEqual(['sales→a', 'any→b', 'more→b']);
  });

  it('gives a returning visitor to their previous operator when they have room', () => {
    const plan = planAssignments(
      [chat('back', { lastOperatorId: 'busy' }), chat('gone', { lastOperatorId: 'full' })],
      [operator('busy', { load: 3 }), operator('idle'), operator('full', { load: 5 })],
    );
    expect(plan).toEqual([
      { conversationId: 'back', operatorId: 'busy', toPrevious: true },
      { conversationId: 'gone', operatorId: 'idle', toPrevious: false },
    ]);
  });
});
