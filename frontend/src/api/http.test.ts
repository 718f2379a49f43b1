import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { ApiError, CLIENT_ERROR_CODES, configureHttpAuth, http, isApiError } from './http';

async function captureError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (reason: unknown) => reason,
  );
  if (!isApiError(error)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('http client', () => {
  let token: string | null;
  const onUnauthenticated = vi.fn();

  beforeEach(() => {
    token = null;
    onUnauthenticated.mockReset();
    configureHttpAuth({ getToken: () => token, onUnauthenticated });
  });

  afterEach(() => {
    configureHttpAuth({ getToken: () => null, onUnauthenticated: () => {} });
  });

  it('sends JSON with the bearer token and returns the parsed body', async () => {
    token = 'jwt-123';
    const { requests } = stubFetch({
      'POST /api/departments': jsonResponse(201, { id: '7', name: 'Sales' }),
    });

    const result = await http.post<{ id: string }>('/api/departments', { name: 'Sales' });

    expect(result).toEqual({ id: '7', name: 'Sales' });
    expect(requests[0]?.headers).toMatchObject({
      Authorization: 'Bearer jwt-123',
      'Content-Type': 'application/json',
    });
    expect(requests[0]?.body).toEqual({ name: 'Sales' });
  });

  it('omits the token on calls marked unauthenticated (login, signup)', async () => {
    token = 'stale-token';
    const { requests } = stubFetch({ 'POST /api/auth/login': jsonResponse(200, {}) });

    await http.post(
      '/api/auth/login',
      { email: 'a@b.co', password: 'x' },
      { authenticated: false },
    );

    expect(requests[0]?.headers.Authorization).toBeUndefined();
  });

  it('turns the documented error body into an ApiError with code, message and details', async () => {
    stubFetch({
      'POST /api/operators': errorResponse(409, 'EMAIL_TAKEN', 'This email is already used.'),
    });

    const error = await captureError(http.post('/api/operators', {}));

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(409);
    expect(error.code).toBe('EMAIL_TAKEN');
    expect(error.message).toBe('This email is already used.');
    expect(error.fieldErrors).toEqual({});
  });

  it('exposes VALIDATION_FAILED field messages', async () => {
    stubFetch({
      'POST /api/auth/signup': errorResponse(400, 'VALIDATION_FAILED', 'Invalid input', {
        fields: { email: 'Must be an email', password: 'Too short', junk: 42 },
      }),
    });

    const error = await captureError(http.post('/api/auth/signup', {}, { authenticated: false }));

    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fieldErrors).toEqual({ email: 'Must be an email', password: 'Too short' });
  });

  it('reports an error status without the documented body as UNEXPECTED_RESPONSE', async () => {
    stubFetch({
      'GET /api/departments': new Response('<html>Bad gateway</html>', { status: 502 }),
    });

    const error = await captureError(http.get('/api/departments'));

    expect(error.status).toBe(502);
    expect(error.code).toBe(CLIENT_ERROR_CODES.unexpected);
  });

  it('reports an unreachable server as NETWORK_ERROR with status 0', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));

    const error = await captureError(http.get('/api/me'));

    expect(error.status).toBe(0);
    expect(error.code).toBe(CLIENT_ERROR_CODES.network);
  });

  it('ends the session on 401 of a call that carried a token', async () => {
    token = 'expired';
    stubFetch({ 'GET /api/me': errorResponse(401, 'UNAUTHENTICATED', 'Token expired') });

    const error = await captureError(http.get('/api/me'));

    expect(error.code).toBe('UNAUTHENTICATED');
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('does not end a session on a failed login (401 without a token)', async () => {
    stubFetch({
      'POST /api/auth/login': errorResponse(401, 'INVALID_CREDENTIALS', 'Wrong credentials'),
    });

    const error = await captureError(
      http.post('/api/auth/login', { email: 'a@b.co', password: 'nope' }, { authenticated: false }),
    );

    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it('resolves 204 No Content to undefined', async () => {
    token = 't';
    stubFetch({ 'DELETE /api/departments/9': new Response(null, { status: 204 }) });

    await expect(http.delete('/api/departments/9')).resolves.toBeUndefined();
  });
});
