import { describe, expect, it } from 'vitest';
import { useTestApi } from '../testing/test-api.js';

const api = useTestApi();

describe('error responses', () => {
  it('answer an unknown API path with 404 in the error format', async () => {
    const response = await api.request('GET', '/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('answer malformed JSON with 400 INVALID_JSON', async () => {
    const response = await api.request('POST', '/api/auth/login', {
      rawBody: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('INVALID_JSON');
  });

  it('refuse bodies over the size limit with 413', async () => {
    const response = await api.request('POST', '/api/auth/login', {
      rawBody: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answer a wrong method with 405', async () => {
    const response = await api.request('PUT', '/api/departments');
    expect(response.status).toBe(405);
    expect(response.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('treat a body that is not an object as invalid input', async () => {
    const response = await api.request('POST', '/api/auth/login', { body: ['a', 'b'] });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('tag every response with a request id', async () => {
    const response = await api.request('GET', '/health', {
      headers: { 'x-request-id': 'trace-12345678' },
    });
    expect(response.headers.get('x-request-id')).toBe('trace-12345678');
  });
});

describe('OpenAPI document', () => {
  it('describes every route of the API with its schemas', async () => {
    const response = await api.request('GET', '/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/api/auth/signup',
        '/api/auth/login',
        '/api/me',
        '/api/me/status',
        '/api/tenant',
        '/api/departments',
        '/api/departments/{id}',
        '/api/operators',
        '/api/operators/{id}',
      ]),
    );
    expect(Object.keys(response.body.components.schemas)).toEqual(
      expect.arrayContaining(['User', 'Tenant', 'Department', 'Error', 'Session']),
    );
    expect(response.body.paths['/api/operators'].post.security).toEqual([{ bearer: [] }]);
  });
});
