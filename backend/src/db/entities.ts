import type { SealedColumns } from '../crypto/reseal-secrets.js';
import { BaseEntitySchema } from './base.entity.js';
import { TenantOwnedEntitySchema } from './tenant-owned.entity.js';
import { ContactSchema } from '../modules/conversations/contact.entity.js';
import { ConversationSchema } from '../modules/conversations/conversation.entity.js';
import { MessageSchema } from '../modules/conversations/message.entity.js';
import { StoredFileSchema } from '../modules/files/stored-file.entity.js';
import { CannedResponseSchema } from '../modules/canned-responses/canned-response.entity.js';
import { ConversationLabelSchema } from '../modules/labels/conversation-label.entity.js';
import { LabelSchema } from '../modules/labels/label.entity.js';
import { ApiTokenSchema } from '../modules/api-tokens/api-token.entity.js';
import { AuditEntrySchema } from '../modules/audit/audit-entry.entity.js';
import { DepartmentSchema } from '../modules/departments/department.entity.js';
import {
  DepartmentMenuOptionSchema,
  FACEBOOK_PAGE_SECRETS,
  FacebookPageSchema,
} from '../modules/facebook/facebook-page.entity.js';
import { WebhookEventSchema } from '../modules/facebook/webhook-event.entity.js';
import { ConversationEventSchema } from '../modules/conversations/conversation-event.entity.js';
import { USER_SECRETS, UserSchema } from '../modules/operators/user.entity.js';
import { UserSessionSchema } from '../modules/auth/user-session.entity.js';
import { TenantSchema } from '../modules/tenants/tenant.entity.js';
import { OutboxEntrySchema } from '../outbox/outbox-entry.entity.js';
import { InvitationSchema } from '../modules/invitations/invitation.entity.js';
import { PasswordResetSchema } from '../modules/auth/password-reset.entity.js';
import { DataDeletionRequestSchema } from '../modules/data-deletion/data-deletion-request.entity.js';
import { PageIncidentSchema } from '../modules/page-health/page-incident.entity.js';
import {
  WEBHOOK_SUBSCRIPTION_SECRETS,
  WebhookSubscriptionSchema,
} from '../modules/outbound-webhooks/webhook-subscription.entity.js';
import { OutboundWebhookDeliverySchema } from '../modules/outbound-webhooks/outbound-webhook-delivery.entity.js';
import { ReportEpisodeSchema } from '../modules/reports/report-episode.entity.js';

/** Every entity schema the ORM knows. A new feature adds its schemas here. */
export const entitySchemas = [
  BaseEntitySchema,
  TenantOwnedEntitySchema,
  TenantSchema,
  DepartmentSchema,
  CannedResponseSchema,
  LabelSchema,
  ConversationLabelSchema,
  UserSchema,
  UserSessionSchema,
  FacebookPageSchema,
  WebhookEventSchema,
  ContactSchema,
  ConversationSchema,
  MessageSchema,
  StoredFileSchema,
  ConversationEventSchema,
  OutboxEntrySchema,
  InvitationSchema,
  PasswordResetSchema,
  AuditEntrySchema,
  PageIncidentSchema,
  DepartmentMenuOptionSchema,
  ApiTokenSchema,
  WebhookSubscriptionSchema,
  OutboundWebhookDeliverySchema,
  ReportEpisodeSchema,
  DataDeletionRequestSchema,
];

/** Every column that holds SecretBox values: what `npm run secrets:reseal` rewrites. */
export const sealedSecretColumns: SealedColumns[] = [
  { table: 'facebook_page', columns: Object.values(FACEBOOK_PAGE_SECRETS) },
  { table: 'app_user', columns: Object.values(USER_SECRETS) },
  { table: 'webhook_subscription', columns: Object.values(WEBHOOK_SUBSCRIPTION_SECRETS) },
];
