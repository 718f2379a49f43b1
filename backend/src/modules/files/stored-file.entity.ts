import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Message } from '../conversations/message.entity.js';
import type { FacebookPage } from '../facebook/facebook-page.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

/** A file Omni keeps itself (Facebook's attachment URLs expire), in the configured storage. */
export class StoredFile extends TenantOwnedEntity {
  /**
   * The message whose attachment this is, and its page: deleting either finds (and the
   * database cascades to) every file they hold. Null only between storing and linking.
   */
  message: Message | null = null;
  page: FacebookPage | null = null;

  constructor(
    tenant: Tenant,
    /** Where the bytes are in the storage. */
    public storageKey: string,
    public contentType: string,
    public size: number,
    public fileName: string | null,
    /** The URL it was downloaded from. */
    public sourceUrl: string | null,
  ) {
    super(tenant);
  }
}

export const StoredFileSchema = new EntitySchema<StoredFile, TenantOwnedEntity>({
  class: StoredFile,
  extends: 'TenantOwnedEntity',
  properties: {
    storageKey: { type: 'string', length: 300 },
    contentType: { type: 'string', length: 200 },
    size: { type: 'integer' },
    fileName: { type: 'string', length: 300, nullable: true },
    sourceUrl: { type: 'text', nullable: true },
    message: { kind: 'm:1', entity: 'Message', nullable: true, deleteRule: 'cascade', index: true },
    page: {
      kind: 'm:1',
      entity: 'FacebookPage',
      nullable: true,
      deleteRule: 'cascade',
      index: true,
    },
  },
});
