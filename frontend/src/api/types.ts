// The panel's names for the API's types. The types themselves are generated from the
// backend's OpenAPI document into schema.ts (`npm run api:types`): change the backend's zod
// schemas, regenerate, and these follow. Ids are strings; dates are ISO strings.
import { userStatusValues, type components, type paths } from './schema';

type Schemas = components['schemas'];

/** The JSON body a route answers with on success, e.g. `ResponseBody<'/api/me', 'get'>`. */
export type ResponseBody<
  Path extends keyof paths,
  Method extends keyof paths[Path],
> = paths[Path][Method] extends { responses: infer Responses }
  ? {
      [Status in keyof Responses & (200 | 201 | 202)]: Responses[Status] extends {
        content: { 'application/json': infer Body };
      }
        ? Body
        : never;
    }[keyof Responses & (200 | 201 | 202)]
  : never;

export type User = Schemas['User'];
/** reviewer: an operator of the demo tenant who may also open the App Review kit and simulator. */
export type UserRole = User['role'];
/** online = receives new chats; away = keeps current chats, gets no new ones; offline = neither. */
export type PresenceStatus = User['status'];

/** Who may open the App Review kit and the Messenger simulator (of a demo tenant only). */
export const REVIEW_KIT_ROLES: readonly UserRole[] = ['admin', 'reviewer'];

export const PRESENCE_STATUSES: readonly PresenceStatus[] = userStatusValues;

export type Tenant = Schemas['Tenant'];
export type Department = Schemas['Department'];

export type SessionResponse = Schemas['Session'];
export type MeResponse = Schemas['Identity'];
export type SignupInput = Schemas['SignUpInput'];
export type LoginInput = Schemas['LogInInput'];
/** PUT /api/me/password: 400 WRONG_PASSWORD, WEAK_PASSWORD or VALIDATION_FAILED. */
export type ChangePasswordInput = Schemas['ChangePasswordInput'];
/** POST /api/me/2fa/setup: the secret to type by hand and the otpauth:// URL the QR code holds. */
export type TwoFactorSetup = Schemas['TwoFactorSetup'];
export type TwoFactorRecoveryCodes = Schemas['TwoFactorRecoveryCodes'];

export type DepartmentInput = Schemas['DepartmentInput'];
/** timezone null: no hours set, the department is always open. */
export type BusinessHours = Schemas['BusinessHours'];
export type BusinessHoursInput = Schemas['BusinessHoursInput'];
export type OperatorCreateInput = Schemas['CreateOperatorInput'];
/** PATCH accepts any subset; a missing password keeps the current one. */
export type OperatorUpdateInput = Schemas['UpdateOperatorInput'];
export type TenantUpdateInput = Schemas['UpdateTenantInput'];

/** A connected Facebook page (a Messenger channel). Secrets are never returned, only hints. */
export type FacebookPage = Schemas['FacebookPage'];
/** How far a page's setup has got; the panel turns each step green as it happens. */
export type FacebookPageStatus = FacebookPage['status'];
/**
 * A page's health as its operators and the admins see it (`GET /api/page-health` and the
 * `page.updated` socket event): an open `incident` is a banner until the page recovers.
 */
export type PageHealth = Schemas['PageHealth'];
export type FacebookPageCreateInput = Schemas['CreateFacebookPageInput'];
/** PATCH accepts any subset; a missing token or secret keeps the current one. */
export type FacebookPageUpdateInput = Schemas['UpdateFacebookPageInput'];

/** The error body every 4xx/5xx response carries. */
export type ErrorBody = Schemas['Error'];

export type Conversation = Schemas['Conversation'];
export type ConversationStatus = Conversation['status'];
export type Message = Schemas['Message'];
/** A page of history; `newerCursor` is set when it was opened around a message and more follow. */
export type MessagePage = Schemas['MessagePage'];
/** A conversation in a list; a search hit through a message carries `match`. */
export type ConversationListItem = Schemas['ConversationListItem'];
export type SearchMatch = NonNullable<ConversationListItem['match']>;
/** A visitor with their episodes (each open→close stretch of their conversations). */
export type Contact = Schemas['Contact'];
export type ContactEpisode = Schemas['ContactEpisode'];
export type MessageStatus = NonNullable<Message['status']>;
export type Attachment = Message['attachments'][number];
/** One line of a conversation's queue history. */
export type ConversationEvent = Schemas['ConversationEvent'];
export type TransferTarget = Schemas['TransferTarget'];
export type AssignTarget = Schemas['AssignTarget'];

/** The live queue of the business. */
export type QueueFigures = Schemas['QueueFigures'];
/** Service figures over a period; shares are 0–1, null when nothing happened. */
export type QueueStats = Schemas['QueueStats'];
export type Report = Schemas['Report'];
export type ReportRow = Schemas['ReportRow'];
export type ReportTotals = Schemas['ReportTotals'];

export type DemoLogin = Schemas['DemoLogin'];
/** `GET /api/demo`: public; `logins` is empty when the server is not in demo mode. */
export type DemoInfo = Schemas['DemoInfo'];
export type SimulatorPersona = Schemas['SimulatorPersona'];
export type SimulatorSetup = Schemas['SimulatorSetup'];
export type SimulatorThreadItem = Schemas['SimulatorThreadItem'];
export type SimulatorThread = Schemas['SimulatorThread'];
/** What the visitor sends: a text, a sample image, or a quick reply (its title as the text). */
export type SimulatorMessageInput = Schemas['SimulatorMessageInput'];
/** The values the App Review kit's texts are filled in with. */
export type ReviewKit = Schemas['ReviewKit'];
/** A page of the demo business as the kit lists it; a real one can replace the simulator. */
export type ReviewKitPage = Schemas['ReviewKitPage'];
/** The App Review co-pilot's checks of one page (`GET /api/channels/facebook/:id/readiness`). */
export type PageReadiness = Schemas['PageReadiness'];
export type PageReadinessCheck = Schemas['PageReadinessCheck'];

/** A reply typed after `/` in the composer: the tenant's, a department's or the operator's own. */
export type CannedResponse = Schemas['CannedResponse'];
export type CannedResponseScope = CannedResponse['scope'];
/** 409 SHORTCUT_TAKEN when someone who would see it already sees that shortcut. */
export type CannedResponseCreateInput = Schemas['CreateCannedResponseInput'];
/** The scope and department are fixed at creation. */
export type CannedResponseUpdateInput = Schemas['UpdateCannedResponseInput'];

/** A private note: a Message of kind "note", direction "internal"; `mentions` notify colleagues. */
export type NoteInput = Schemas['CreateNoteInput'];
/** Someone a note can mention: a colleague who may see the conversation. */
export type Colleague = Schemas['Colleague'];
/**
 * The `mention.created` socket event: a colleague mentioned the signed-in user in a note
 * (socket payloads are not in the OpenAPI document; the notes route describes this one).
 */
export interface Mention {
  conversationId: string;
  /** The note. */
  message: Message;
  /** The note's author; null once their account is deleted. */
  mentionedBy: { id: string; name: string } | null;
  /** The visitor of the conversation, as shown. */
  contactName: string;
}
/** An admin-defined coloured tag (`color` is `#rrggbb`, lower case). */
export type Label = Schemas['Label'];

/** An API token as listed: its prefix, never the token itself. */
export type ApiToken = Schemas['ApiToken'];
/** The answer to creating one: with `token`, shown this once. */
export type CreatedApiToken = Schemas['CreatedApiToken'];
export type ApiTokenCreateInput = Schemas['CreateApiTokenInput'];

/** An outbound webhook subscription as listed: never its secret. */
export type WebhookSubscription = Schemas['WebhookSubscription'];
/** The answer to creating one: with `secret`, shown this once. */
export type CreatedWebhookSubscription = Schemas['CreatedWebhookSubscription'];
export type WebhookSubscriptionCreateInput = Schemas['CreateWebhookSubscriptionInput'];
export type WebhookSubscriptionUpdateInput = Schemas['UpdateWebhookSubscriptionInput'];
export type WebhookEvent = Schemas['WebhookEvent'];
/** One event sent (or being sent) to a subscription's endpoint. */
export type OutboundWebhookDelivery = Schemas['OutboundWebhookDelivery'];

/** One line of the audit log: who changed what, and the fields it changed. */
export type AuditEntry = Schemas['AuditEntry'];
/** What was done, `<target type>.<verb>` (stable codes). */
export type AuditAction = Schemas['AuditAction'];
export type AuditTargetType = Schemas['AuditTargetType'];
/** `{from, to}`, or `{changed: true}` for a secret. */
export type AuditFieldChange = Schemas['AuditFieldChange'];
export type AuditLogPage = Schemas['AuditLogPage'];
/** What a conversation carries of each of its labels. */
export type LabelSummary = Schemas['LabelSummary'];
/** 409 LABEL_NAME_TAKEN when the workspace has that name, ignoring case. */
export type LabelCreateInput = Schemas['CreateLabelInput'];
export type LabelUpdateInput = Schemas['UpdateLabelInput'];
/** GET/PATCH /api/me/preferences: each user's sounds, volume and desktop notifications. */
export type AlertPreferences = Schemas['AlertPreferences'];
export type AlertSound = keyof AlertPreferences['sounds'];
/** PATCH accepts any subset, sounds too. */
export type AlertPreferencesUpdate = Schemas['UpdateAlertPreferencesInput'];
/** An invitation waiting for its invitee (GET/POST /api/invitations). */
export type Invitation = Schemas['Invitation'];
/** 409 EMAIL_TAKEN when the address already has an account. */
export type InvitationCreateInput = Schemas['CreateInvitationInput'];
/** What an invitation link's page shows; 410 INVITATION_EXPIRED when the link no longer works. */
export type InvitationPreview = Schemas['InvitationPreview'];
export type InvitationAcceptInput = Schemas['AcceptInvitationInput'];

/** One webhook delivery of a page as the inspector shows it: verdict, why, what it became. */
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookDeliveryStatus = WebhookDelivery['status'];
export type DeliveryDiagnostic = Schemas['DeliveryDiagnostic'];
/** The answer to a replay: `newMessages` is 0 when the delivery had been processed already. */
export type DeliveryReplay = Schemas['DeliveryReplay'];
