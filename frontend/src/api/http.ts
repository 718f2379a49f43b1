// The single HTTP client of the panel: same origin, JSON in and out, bearer token, typed errors.
import type { ErrorBody } from './types';

/** Codes the client itself produces when there is no usable error body from the server. */
export const CLIENT_ERROR_CODES = {
  /** The request never got an answer (server down, offline, CORS, aborted). */
  network: 'NETWORK_ERROR',
  /** The server answered with an error status but not with the documented error body. */
  unexpected: 'UNEXPECTED_RESPONSE',
} as const;

/** An error answered by the API (or a failure to reach it), in the shape of docs/api.md. */
/** 403 for an admin who must set up two-factor first: see HttpAuthBridge. */
export const TWO_FACTOR_SETUP_REQUIRED = 'TWO_FACTOR_SETUP_REQUIRED';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** Stable SNAKE_CASE code, e.g. INVALID_CREDENTIALS, EMAIL_TAKEN, VALIDATION_FAILED. */
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** VALIDATION_FAILED puts per-field messages in details.fields; anything else has none. */
  get fieldErrors(): Record<string, string> {
    const fields = this.details.fields;
    if (!fields || typeof fields !== 'object') return {};
    const result: Record<string, string> = {};
    for (const [field, message] of Object.entries(fields)) {
      if (typeof message === 'string') result[field] = message;
    }
    return result;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export interface HttpAuthBridge {
  getToken(): string | null;
  /** Called when a request that carried a token is answered 401: the session is over. */
  onUnauthenticated(): void;
  /**
   * Called on 403 TWO_FACTOR_SETUP_REQUIRED: the business requires this admin to set up
   * two-factor before anything else (the setting may have been switched on meanwhile).
   */
  onTwoFactorSetupRequired?(): void;
}

// Wired once in main.ts. Keeping the session store out of this module avoids an import cycle
// (store → api → http → store) and keeps the client testable with a fake bridge.
let authBridge: HttpAuthBridge = {
  getToken: () => null,
  onUnauthenticated: () => {},
};

export function configureHttpAuth(bridge: HttpAuthBridge): void {
  authBridge = bridge;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  /** false for calls that must not carry the session token (login, signup). Default true. */
  authenticated?: boolean;
  /**
   * A token to send instead of the session's: logout ends a token the panel already forgot.
   * A 401 to such a call ends nothing.
   */
  bearer?: string;
  signal?: AbortSignal;
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (!value || typeof value !== 'object' || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    !!error &&
    typeof error === 'object' &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The API's error of a failed response: its documented body, or what the status says. */
function apiErrorOf(response: Response, payload: unknown): ApiError {
  return isErrorBody(payload)
    ? new ApiError(
        response.status,
        payload.error.code,
        payload.error.message,
        payload.error.details ?? {},
      )
    : new ApiError(
        response.status,
        CLIENT_ERROR_CODES.unexpected,
        `The server answered ${response.status} ${response.statusText}`.trim(),
      );
}

export async function request<T>(
  method: HttpMethod,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options.bearer ?? (options.authenticated === false ? null : authBridge.getToken());
  if (token) headers.Authorization = `Bearer ${token}`;
  // A FormData body (a file upload) sets its own multipart Content-Type with the boundary.
  const isForm = options.body instanceof FormData;
  if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body:
        options.body === undefined
          ? undefined
          : isForm
            ? (options.body as FormData)
            : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, CLIENT_ERROR_CODES.network, 'The server could not be reached.');
  }

  const payload = await readJson(response);

  if (!response.ok) {
    const error = apiErrorOf(response, payload);
    if (response.status === 401 && token && !options.bearer) authBridge.onUnauthenticated();
    if (error.code === TWO_FACTOR_SETUP_REQUIRED) authBridge.onTwoFactorSetupRequired?.();
    throw error;
  }

  return payload as T;
}

/**
 * A file the API answers (a CSV export): fetched with the session's token, as a Blob the
 * panel hands to the browser to save. Errors are the API's, as for every other call.
 */
export async function requestBlob(path: string): Promise<Blob> {
  const token = authBridge.getToken();
  let response: Response;
  try {
    response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError(0, CLIENT_ERROR_CODES.network, 'The server could not be reached.');
  }
  if (response.ok) return response.blob();
  const error = apiErrorOf(response, await readJson(response));
  if (response.status === 401 && token) authBridge.onUnauthenticated();
  throw error;
}

export const http = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, { ...options, body }),
  delete: <T = void>(path: string, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('DELETE', path, options),
};
