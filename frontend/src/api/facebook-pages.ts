import { http } from './http';
import type {
  FacebookPage,
  FacebookPageCreateInput,
  FacebookPageUpdateInput,
  PageReadiness,
  ResponseBody,
} from './types';

const encode = encodeURIComponent;
const BASE = '/api/channels/facebook';

export async function listFacebookPages(): Promise<FacebookPage[]> {
  const { items } = await http.get<ResponseBody<'/api/channels/facebook', 'get'>>(BASE);
  return items;
}

export function getFacebookPage(id: string): Promise<FacebookPage> {
  return http.get<FacebookPage>(`${BASE}/${encode(id)}`);
}

/**
 * The server checks the token with Facebook first. 422 FACEBOOK_TOKEN_INVALID (with Facebook's
 * reason in details.fields.accessToken), 409 PAGE_ALREADY_CONNECTED, 502 FACEBOOK_UNAVAILABLE.
 */
export function createFacebookPage(input: FacebookPageCreateInput): Promise<FacebookPage> {
  return http.post<FacebookPage>(BASE, input);
}

/** Also 422 FACEBOOK_PAGE_MISMATCH when a new token belongs to another page. */
export function updateFacebookPage(
  id: string,
  input: FacebookPageUpdateInput,
): Promise<FacebookPage> {
  return http.patch<FacebookPage>(`${BASE}/${encode(id)}`, input);
}

/** Probes the page now (token validity, missing permissions); 502 FACEBOOK_UNAVAILABLE. */
export function checkFacebookPage(id: string): Promise<FacebookPage> {
  return http.post<FacebookPage>(`${BASE}/${encode(id)}/check`);
}

/**
 * The App Review co-pilot: checks the page with Facebook now. Never fails for Facebook's
 * sake: a check Facebook left unanswered says so (problem "facebook_unavailable").
 */
export function getPageReadiness(id: string): Promise<PageReadiness> {
  return http.get<PageReadiness>(`${BASE}/${encode(id)}/readiness`);
}

/** Later events of the page are acknowledged and dropped. */
export function deleteFacebookPage(id: string): Promise<void> {
  return http.delete(`${BASE}/${encode(id)}`);
}
