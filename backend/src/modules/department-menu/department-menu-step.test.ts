import { describe, expect, it } from 'vitest';
import {
  departmentMenuPayload,
  departmentMenuStep,
  parseDepartmentMenuPayload,
  type MenuLine,
} from './department-menu.js';

const conversation = { id: '0190a0a0-0000-7000-8000-000000000001', isReminded: false };
const billing = '0190a0a0-0000-7000-8000-0000000000b1';
const sales = '0190a0a0-0000-7000-8000-0000000000c1';
const menu = [sales, billing];
const typed: MenuLine = { quickReplyPayload: null, isWritten: true };
const tap = (conversationId: string, departmentId: string): MenuLine => ({
  quickReplyPayload: departmentMenuPayload(conversationId, departmentId),
  isWritten: true,
});
const reaction: MenuLine = { quickReplyPayload: null, isWritten: false };

describe('departmentMenuStep', () => {
  it('chooses the first valid tap, whatever was typed before it', () => {
    expect(departmentMenuStep(conversation, [typed, tap(conversation.id, billing)], menu)).toEqual({
      step: { kind: 'chosen', departmentId: billing, lineIndex: 1 },
      ignored: [],
    });
  });

  it('reminds after the first typed line, then takes the default', () => {
    expect(departmentMenuStep(conversation, [typed], menu).step).toEqual({ kind: 'remind' });
    expect(departmentMenuStep({ ...conversation, isReminded: true }, [typed], menu).step).toEqual({
      kind: 'default',
    });
    // Two lines at once: a reminder would come after the second; the default it is.
    expect(departmentMenuStep(conversation, [typed, typed], menu).step).toEqual({
      kind: 'default',
    });
  });

  it('counts a tap for another conversation or off the menu as typing, and says why', () => {
    const other = '0190a0a0-0000-7000-8000-0000000000ff';
    expect(
      departmentMenuStep(conversation, [tap(other, billing), tap(conversation.id, other)], menu),
    ).toEqual({
      step: { kind: 'default' },
      ignored: [
        { lineIndex: 0, reason: 'department_choice_for_another_conversation' },
        { lineIndex: 1, reason: 'department_not_on_menu' },
      ],
    });
  });

  it('waits on a reaction, and takes the default at once when the menu is gone', () => {
    expect(departmentMenuStep(conversation, [reaction], menu).step).toEqual({ kind: 'wait' });
    expect(departmentMenuStep(conversation, [typed], []).step).toEqual({ kind: 'default' });
  });
});

describe('department menu payloads', () => {
  it('name the conversation and the department, and nothing else parses', () => {
    expect(parseDepartmentMenuPayload(departmentMenuPayload(conversation.id, billing))).toEqual({
      conversationId: conversation.id,
      departmentId: billing,
    });
    expect(parseDepartmentMenuPayload(`CSAT:${conversation.id}:4`)).toBeNull();
    expect(parseDepartmentMenuPayload(`DEPARTMENT:${conversation.id}:x`)).toBeNull();
    expect(parseDepartmentMenuPayload(null)).toBeNull();
  });
});
