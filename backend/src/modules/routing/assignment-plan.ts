/** A waiting conversation as the dispatcher sees it. */
export type WaitingChat = {
  id: string;
  departmentId: string | null;
  lastOperatorId: string | null;
  timedOutOperatorId: string | null;
};

/** An online operator, locked for this pass, with their load counted after the lock. */
export type CandidateOperator = {
  id: string;
  load: number;
  capacity: number;
  /** Order of their last assignment (smaller: idle longer); null: never assigned. */
  lastAssigned: number | null;
  departmentIds: ReadonlySet<string>;
};

export type PlannedAssignment = { conversationId: string; operatorId: string; toPrevious: boolean };

/**
 * Who gets which chat, oldest chat first: its previous operator when they can take it (a
 * visitor coming back), else the eligible operator with the lowest load, then the longest
 * idle (never assigned counts as idlest), then by id so that the plan is deterministic.
 * Eligible: serves the chat's department (any operator when it has none), has room, and is
 * not the one whose first response timed out on it. Loads and idleness advance as the plan
 * goes, so one pass spreads chats exactly as one-at-a-time assignment would.
 */
export function planAssignments(
  waiting: WaitingChat[],
  operators: CandidateOperator[],
): PlannedAssignment[] {
  const state = operators.map((operator) => ({ ...operator }));
  let clock = Math.max(0, ...state.map((operator) => operator.lastAssigned ?? 0));
  const plan: PlannedAssignment[] = [];
  for (const chat of waiting) {
    const eligible = state.filter(
      (operator) =>
        operator.load < operator.capacity &&
        operator.id !== chat.timedOutOperatorId &&
        (chat.departmentId === null || operator.departmentIds.has(chat.departmentId)),
    );
    const previous = eligible.find((operator) => operator.id === chat.lastOperatorId);
    const chosen = previous ?? eligible.sort(byLoadThenIdle)[0];
    if (!chosen) continue;
    chosen.load += 1;
    chosen.lastAssigned = ++clock;
    plan.push({ conversationId: chat.id, operatorId: chosen.id, toPrevious: chosen === previous });
  }
  return plan;
}

function byLoadThenIdle(a: CandidateOperator, b: CandidateOperator): number {
  return (
    a.load - b.load ||
    (a.lastAssigned ?? -Infinity) - (b.lastAssigned ?? -Infinity) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
