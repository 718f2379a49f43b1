import type { UserDto } from '../operators/operators.schemas.js';

/** Every event the server pushes to the panel, with its payload: the full changed record. */
export interface ServerToClientEvents {
  'operator.updated': (user: UserDto) => void;
}

export type RealtimeEventName = keyof ServerToClientEvents;
export type RealtimePayload<E extends RealtimeEventName> = Parameters<ServerToClientEvents[E]>[0];

/** Rooms a socket joins; services address them through the publisher, never socket.io itself. */
export const rooms = {
  tenant: (tenantId: string) => `tenant:${tenantId}`,
  operator: (userId: string) => `operator:${userId}`,
  department: (departmentId: string) => `department:${departmentId}`,
};

/** How services push realtime events; socket.io stays behind this interface. */
export interface RealtimePublisher {
  publish<E extends RealtimeEventName>(room: string, event: E, payload: RealtimePayload<E>): void;
}
