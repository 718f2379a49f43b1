import { http } from './http';
import type { PageHealth, ResponseBody } from './types';

/** The health of the active pages whose chats the signed-in user works. */
export async function listPageHealth(): Promise<PageHealth[]> {
  const { items } = await http.get<ResponseBody<'/api/page-health', 'get'>>('/api/page-health');
  return items;
}
