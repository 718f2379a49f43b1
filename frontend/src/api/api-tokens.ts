import { http } from './http';
import type { ApiToken, ApiTokenCreateInput, CreatedApiToken, ResponseBody } from './types';

/** The workspace's API tokens, newest first (admins). */
export async function listApiTokens(): Promise<ApiToken[]> {
  const { items } = await http.get<ResponseBody<'/api/api-tokens', 'get'>>('/api/api-tokens');
  return items;
}

/** A new token: the answer's `token` is the only time it is shown. */
export function createApiToken(input: ApiTokenCreateInput): Promise<CreatedApiToken> {
  return http.post<CreatedApiToken>('/api/api-tokens', input);
}

export function revokeApiToken(id: string): Promise<void> {
  return http.delete(`/api/api-tokens/${encodeURIComponent(id)}`);
}
