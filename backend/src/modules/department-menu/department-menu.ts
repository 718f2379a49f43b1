import type { QuickReply } from '../replies/quick-reply.js';

/** Messenger's bounds on quick replies: at most 13 on a message, titles of 20 characters. */
export const MAX_DEPARTMENT_MENU_OPTIONS = 13;
export const MAX_DEPARTMENT_MENU_TITLE_LENGTH = 20;
/** Messenger takes 2,000 characters of text; a menu's question stays short (as CSAT's). */
export const MAX_DEPARTMENT_MENU_PROMPT_LENGTH = 640;

/** Which of the menu's two messages: the greeting, or the one reminder after typing. */
export const DEPARTMENT_MENU_MESSAGES = ['menu', 'reminder'] as const;
export type DepartmentMenuMessage = (typeof DEPARTMENT_MENU_MESSAGES)[number];

/** The payload of an option's quick reply: the conversation it routes and the department. */
export function departmentMenuPayload(conversationId: string, departmentId: string): string {
  return `DEPARTMENT:${conversationId}:${departmentId}`;
}

/** The menu's quick replies for one conversation, in the admin's order. */
export function departmentMenuQuickReplies(
  conversationId: string,
  options: readonly { title: string; departmentId: string }[],
): QuickReply[] {
  return options.map((option) => ({
    content_type: 'text',
    title: option.title,
    payload: departmentMenuPayload(conversationId, option.departmentId),
  }));
}

const PAYLOAD = /^DEPARTMENT:([0-9a-f-]{36}):([0-9a-f-]{36})$/i;

/** The conversation and department a quick reply's payload names; null: not a menu choice. */
export function parseDepartmentMenuPayload(
  payload: string | null | undefined,
): { conversationId: string; departmentId: string } | null {
  const match = payload ? PAYLOAD.exec(payload) : null;
  if (!match) return null;
  return { conversationId: match[1]!.toLowerCase(), departmentId: match[2]!.toLowerCase() };
}

/** One visitor line of a conversation that waits for a choice, as the menu weighs it. */
export type MenuLine = {
  quickReplyPayload: string | null;
  /** A message or a button the visitor sent (a reaction or a referral is neither). */
  isWritten: boolean;
};

/**
 * What the visitor's new lines do to a conversation choosing its department:
 * - `chosen`: a tap on one of the menu's quick replies (this conversation's, a department
 *   still on the page's menu) queues it there; lines after it are ordinary messages;
 * - `remind`: the first written line that is not a choice asks once more;
 * - `default`: written again after that reminder (or twice at once), or the page's menu is
 *   off now: it is queued to the page's department;
 * - `wait`: nothing the visitor did counts (a reaction).
 * `ignored` lists the quick replies that looked like a choice but were not valid, and why.
 */
export type MenuStep =
  | { kind: 'chosen'; departmentId: string; lineIndex: number }
  | { kind: 'remind' }
  | { kind: 'default' }
  | { kind: 'wait' };

export function departmentMenuStep(
  conversation: { id: string; isReminded: boolean },
  lines: readonly MenuLine[],
  menuDepartmentIds: readonly string[],
): { step: MenuStep; ignored: { lineIndex: number; reason: string }[] } {
  const ignored: { lineIndex: number; reason: string }[] = [];
  let written = 0;
  for (const [lineIndex, line] of lines.entries()) {
    const choice = parseDepartmentMenuPayload(line.quickReplyPayload);
    if (choice) {
      const reason =
        choice.conversationId !== conversation.id
          ? 'department_choice_for_another_conversation'
          : !menuDepartmentIds.includes(choice.departmentId)
            ? 'department_not_on_menu'
            : null;
      if (!reason) {
        return { step: { kind: 'chosen', departmentId: choice.departmentId, lineIndex }, ignored };
      }
      ignored.push({ lineIndex, reason });
    }
    if (line.isWritten) written += 1;
  }
  if (written === 0) return { step: { kind: 'wait' }, ignored };
  if (menuDepartmentIds.length === 0 || conversation.isReminded || written > 1) {
    return { step: { kind: 'default' }, ignored };
  }
  return { step: { kind: 'remind' }, ignored };
}
