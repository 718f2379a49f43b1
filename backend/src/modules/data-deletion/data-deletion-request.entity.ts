import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

/**
 * A data deletion request Facebook sent on a person's behalf (a signed_request to the
 * tenant's callback), kept so that its confirmation code opens a status page. It holds no
 * id of the person: Facebook names them by an app-scoped id, which Omni never stores.
 */
export class DataDeletionRequest extends TenantOwnedEntity {
  constructor(
    tenant: Tenant,
    /** Random and unguessable: whoever has it may read the request's status page. */
    public confirmationCode: string,
  ) {
    super(tenant);
  }
}

export const DataDeletionRequestSchema = new EntitySchema<DataDeletionRequest, TenantOwnedEntity>({
  class: DataDeletionRequest,
  extends: 'TenantOwnedEntity',
  properties: {
    confirmationCode: { type: 'string', length: 64, unique: true },
  },
});
