import { http } from './http';
import type {
  ChangePasswordInput,
  LoginInput,
  MeResponse,
  PresenceStatus,
  SessionResponse,
  SignupInput,
  User,
} from './types';

/** Creates a tenant whose first user is its admin. */
export function signup(input: SignupInput): Promise<SessionResponse> {
  return http.post<SessionResponse>('/api/auth/signup', input, { authenticated: false });
}

/** 401 INVALID_CREDENTIALS on a wrong email or password. */
export function login(input: LoginInput): Promise<SessionResponse> {
  return http.post<SessionResponse>('/api/auth/login', input, { authenticated: false });
}

export function fetchMe(): Promise<MeResponse> {
  return http.get<MeResponse>('/api/me');
}

export async function setMyStatus(status: PresenceStatus): Promise<User> {
  const { user } = await http.put<{ user: User }>('/api/me/status', { status });
  return user;
}

/** Ends the session of `token` on the server (REST and its sockets). */
export function logout(token: string): Promise<void> {
  return http.post<void>('/api/auth/logout', undefined, { bearer: token });
}

/** Every other session of the user ends; this one goes on. 400 WRONG_PASSWORD / WEAK_PASSWORD. */
export function changePassword(input: ChangePasswordInput): Promise<void> {
  return http.put<void>('/api/me/password', input);
}

/** 202 whether or not the address has an account; 429 TOO_MANY_ATTEMPTS. */
export function requestPasswordReset(email: string): Promise<void> {
  return http.post('/api/auth/password-reset', { email }, { authenticated: false });
}

/** 410 RESET_LINK_EXPIRED when the link was used or is older than an hour; 400 WEAK_PASSWORD. */
export function confirmPasswordReset(token: string, password: string): Promise<void> {
  return http.post(
    '/api/auth/password-reset/confirm',
    { token, password },
    { authenticated: false },
  );
}
