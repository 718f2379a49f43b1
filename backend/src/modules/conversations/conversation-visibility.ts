import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../auth/actor.js';
import { User } from '../operators/user.entity.js';
import type { Conversation } from './conversation.entity.js';

/**
 * Who sees a conversation: an admin, all of them; an operator or a supervisor, those of their
 * departments (whatever their status, whoever holds them), those without a department, and
 * those they hold. This file is the rule: the lists' filter
 * (in SQL: conversation-list.repository.ts) and the check of one conversation (read, or
 * locked to be changed) both come from it. The
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

/**
 * Who may steer a conversation they see (give it to any operator, transfer or close it while
 * someone else holds it): an admin, any; a supervisor, those of their departments. A page
 * without a department is nobody's to steer but the admins'.
 */
export function maySteer(viewer: Viewer, conversation: { departmentId: string | null }): boolean {
  if (viewer.role === 'admin') return true;
  return (
    viewer.role === 'supervisor' &&
    conversation.departmentId !== null &&
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

/** The actor as the rule sees them: with their departments (an admin needs none). */
export async function loadViewer(em: EntityManager, actor: Actor): Promise<Viewer> {
  if (actor.role === 'admin') return { ...actor, departmentIds: [] };
  const user = await em.findOneOrFail(User, actor.userId, { populate: ['departments'] });
  const departmentIds = user.departments.getItems().map((department) => department.id);
  return { ...actor, departmentIds };
}
