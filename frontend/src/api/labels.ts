import { http } from './http';
import type { Label, LabelCreateInput, LabelUpdateInput, ResponseBody } from './types';

const encode = encodeURIComponent;

/** Every label of the workspace (every signed-in user may read them). */
export async function listLabels(): Promise<Label[]> {
  const { items } = await http.get<ResponseBody<'/api/labels', 'get'>>('/api/labels');
  return items;
}

export function createLabel(input: LabelCreateInput): Promise<Label> {
  return http.post<Label>('/api/labels', input);
}

export function updateLabel(id: string, input: LabelUpdateInput): Promise<Label> {
  return http.patch<Label>(`/api/labels/${encode(id)}`, input);
}

export function deleteLabel(id: string): Promise<void> {
  return http.delete(`/api/labels/${encode(id)}`);
}
