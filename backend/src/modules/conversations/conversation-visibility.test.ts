import { describe, expect, it } from 'vitest';
import { isVisibleTo, visibleToFilter, type Viewer } from './conversation-visibility.js';

const operator: Viewer = { userId: 'u1', role: 'operator', departmentIds: ['sales'] };
const admin: Viewer = { userId: 'a1', role: 'admin', departmentIds: [] };

describe('who sees a conversation', () => {
  it('shows an operator their departments, none, and their own; an admin everything', () => {
    const seen = (viewer: Viewer, departmentId: string | null, operatorId: string | null) =>
      isVisibleTo(viewer, { departmentId, operatorId });
    expect(seen(operator, 'sales', null)).toBe(true);
    expect(seen(operator, null, null)).toBe(true);
    expect(seen(operator, 'support', 'u1')).toBe(true);
    expect(seen(operator, 'support', null)).toBe(false);
    expect(seen(operator, 'support', 'u2')).toBe(false);
    expect(seen(admin, 'support', 'u2')).toBe(true);
  });

  it('filters lists by the same rule', () => {
    expect(visibleToFilter(admin)).toEqual({});
    expect(visibleToFilter(operator)).toEqual({
      $or: [{ department: null }, { operator: 'u1' }, { department: { $in: ['sales'] } }],
    });
    expect(visibleToFilter({ ...operator, departmentIds: [] })).toEqual({
      $or: [{ department: null }, { operator: 'u1' }],
    });
  });
});
