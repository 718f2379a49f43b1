import { http } from './http';
import type {
  Invitation,
  InvitationAcceptInput,
  InvitationCreateInput,
  InvitationPreview,
  ResponseBody,
  SessionResponse,
} from './types';

const encode = encodeURIComponent;

export async function listInvitations(): Promise<Invitation[]> {
  const { items } = await http.get<ResponseBody<'/api/invitations', 'get'>>('/api/invitations');
  return items;
}

/** Mails the invitee a link valid 7 days; 409 EMAIL_TAKEN. */
export function createInvitation(input: InvitationCreateInput): Promise<Invitation> {
  return http.post<Invitation>('/api/invitations', input);
}

/** A new link valid 7 days (the old one stops working). */
export function resendInvitation(id: string): Promise<Invitation> {
  return http.post<Invitation>(`/api/invitations/${encode(id)}/resend`, {});
}

export function revokeInvitation(id: string): Promise<void> {
  return http.delete(`/api/invitations/${encode(id)}`);
}

/** 410 INVITATION_EXPIRED when the link was used, revoked or is too old. */
export function previewInvitation(token: string): Promise<InvitationPreview> {
  return http.get<InvitationPreview>(`/api/invitations/accept/${encode(token)}`, {
    authenticated: false,
  });
}

export function acceptInvitation(
  token: string,
  input: InvitationAcceptInput,
): Promise<SessionResponse> {
  return http.post<SessionResponse>(`/api/invitations/accept/${encode(token)}`, input, {
    authenticated: false,
  });
}
