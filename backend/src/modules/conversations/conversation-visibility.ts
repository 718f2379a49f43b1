import type { FilterQuery } from '@mikro-orm/core';
import type { Actor } from '../auth/actor.js';
import type { Conversation } from './conversation.entity.js';

/**
 * Who sees a conversation: an admin, all of them; an operator, those of their departments,
 * those without a department, and those they hold. This file is the rule: the lists' filter
 * and the check of one conversation (read, or locked to be changed) both come from it. The
 * panels' rooms mirror it (ConversationBroadcaster's audience, the sockets' rooms).
 */
export type Viewer = Pick<Actor, 'userId' | 'role'> & { departmentIds: readonly string[] };

export function isVisibleTo(
  viewer: Viewer,
  conversation: { departmentId: string | null; operatorId: string | null },
): boolean {
  return (
    viewer.role === 'admin' ||
    conversation.departmentId === null ||
    conversation.operatorId === viewer.userId ||
    viewer.departmentIds.includes(conversation.departmentId)
  );
}

/** `isVisibleTo` as a condition of an ORM query, for the lists. */
export function visibleToFilter(viewer: Viewer): FilterQuery<Conversation> {
  if (viewer.role === 'admin') return {};
  return {
    $or: [
      { department: null },
      { operator: viewer.userId },
      ...(viewer.departmentIds.length ? [{ department: { $in: [...viewer.departmentIds] } }] : []),
    ],
  };
}
