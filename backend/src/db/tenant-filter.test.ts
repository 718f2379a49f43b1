import { describe, expect, it } from 'vitest';
import { entitySchemas } from './entities.js';
import { tenantOwnedEntityNames } from './tenant-filter.js';

describe('tenant filter', () => {
  it('covers every concrete entity that has a tenant, and only those', () => {
    expect(tenantOwnedEntityNames(entitySchemas).sort()).toEqual([
      'ApiToken',
      'AuditEntry',
      'CannedResponse',
      'Contact',
      'Conversation',
      'ConversationEvent',
      'DataDeletionRequest',
      'Department',
      'DepartmentMenuOption',
      'FacebookPage',
      'Invitation',
      'Label',
      'Message',
      'OutboundWebhookDelivery',
      'OutboxEntry',
      'PageIncident',
      'PasswordReset',
      'ReportEpisode',
      'StoredFile',
      'User',
      'UserSession',
      'WebhookEvent',
      'WebhookSubscription',
    ]);
  });
});
