import { http } from './http';
import type {
  CannedResponse,
  CannedResponseCreateInput,
  CannedResponseUpdateInput,
  ResponseBody,
} from './types';

const encode = encodeURIComponent;

/** usable: what the composer offers; manageable: what the caller may change (admins: all shared). */
export async function listCannedResponses(
  which: 'usable' | 'manageable' = 'usable',
): Promise<CannedResponse[]> {
  const query = which === 'manageable' ? '?manageable=true' : '';
  const { items } = await http.get<ResponseBody<'/api/canned-responses', 'get'>>(
    `/api/canned-responses${query}`,
  );
  return items;
}

export function createCannedResponse(input: CannedResponseCreateInput): Promise<CannedResponse> {
  return http.post<CannedResponse>('/api/canned-responses', input);
}

export function updateCannedResponse(
  id: string,
  input: CannedResponseUpdateInput,
): Promise<CannedResponse> {
  return http.patch<CannedResponse>(`/api/canned-responses/${encode(id)}`, input);
}

export function deleteCannedResponse(id: string): Promise<void> {
  return http.delete(`/api/canned-responses/${encode(id)}`);
}
