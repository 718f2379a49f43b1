// Types mirroring the public HTTP contract (docs/api.md). Ids are strings; dates are ISO strings.

export type UserRole = 'admin' | 'operator';

/** online = receives new chats; away = keeps current chats, gets no new ones; offline = neither. */
export type PresenceStatus = 'online' | 'away' | 'offline';

export const PRESENCE_STATUSES: readonly PresenceStatus[] = ['online', 'away', 'offline'];

export interface User {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  status: PresenceStatus;
  /** null means "use the tenant's defaultMaxChats". */
  maxChats: number | null;
  departmentIds: string[];
  createdAt: string;
}

export interface Tenant {
  id: string;
  name: string;
  /** Unguessable public id used in the webhook callback URL. */
  key: string;
  callbackUrl: string;
  defaultMaxChats: number;
}

export interface Department {
  id: string;
  name: string;
  operatorCount: number;
  createdAt: string;
}

export interface ListResponse<T> {
  items: T[];
}

export interface SessionResponse {
  token: string;
  user: User;
  tenant: Tenant;
}

export interface MeResponse {
  user: User;
  tenant: Tenant;
}

export interface SignupInput {
  tenantName: string;
  name: string;
  email: string;
  password: string;
}

export interface LoginInput {
  email: string;
  password: string;
}

export interface DepartmentInput {
  name: string;
}

export interface OperatorCreateInput {
  email: string;
  name: string;
  password: string;
  role: UserRole;
  departmentIds: string[];
  maxChats: number | null;
}

/** PATCH accepts any subset; a missing password keeps the current one. */
export type OperatorUpdateInput = Partial<OperatorCreateInput>;

export interface TenantUpdateInput {
  name?: string;
  defaultMaxChats?: number;
}

/** The error body every 4xx/5xx response carries. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: Record<string, unknown>;
  };
}

/** Events the server pushes over socket.io, each carrying the full changed record. */
export interface ServerToClientEvents {
  'operator.updated': (user: User) => void;
}
