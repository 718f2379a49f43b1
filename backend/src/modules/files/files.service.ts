import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { scopeToTenant, TENANT_FILTER } from '../../db/tenant-filter.js';
import { AppError, NotFoundError } from '../../errors.js';
import { Message } from '../conversations/message.entity.js';
import type { FileStorage } from './file-storage.js';
import type { FileUrlSigner } from './file-urls.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import { StoredFile } from './stored-file.entity.js';

/** Messenger's own limit for attachments. */
export const MAX_DOWNLOAD_BYTES = 25 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 30_000;

/**
 * Keeps Omni's own copy of inbound attachments (Facebook's CDN links expire) and serves
 * them through signed links.
 */
export class FilesService {
  constructor(
    private readonly em: EntityManager,
    private readonly storage: FileStorage,
    private readonly signer: FileUrlSigner,
    private readonly fetchFile: typeof fetch = fetch,
  ) {}

  /**
   * Downloads attachment `index` of a message into storage and links it. Idempotent: an
   * attachment that already has a stored copy is left alone. Throws on a failed download so
   * the job is retried; the original link stays on the message meanwhile.
   */
  async downloadAttachment(messageId: string, index: number): Promise<boolean> {
    const message = await this.em.findOne(Message, messageId, {
      filters: { [TENANT_FILTER]: false },
    });
    const attachment = message?.attachments[index];
    if (!message || !attachment?.url || attachment.storedFileId) return false;
    scopeToTenant(this.em, message.tenant.id);

    const response = await this.fetchFile(attachment.url, {
      signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
    });
    if (!response.ok || !response.body)
      throw new Error(`Download failed with HTTP ${response.status}`);
    const declaredSize = Number(response.headers.get('content-length') ?? 0);
    if (declaredSize > MAX_DOWNLOAD_BYTES)
      throw new Error(`Attachment is larger than ${MAX_DOWNLOAD_BYTES} bytes`);

    const storageKey = `${message.tenant.id}/${uuidv7()}`;
    const { size } = await this.storage.put(
      storageKey,
      Readable.fromWeb(response.body as WebReadableStream).pipe(limitBytes(MAX_DOWNLOAD_BYTES)),
    );
    const file = new StoredFile(
      message.tenant,
      storageKey,
      response.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream',
      size,
      fileNameOf(attachment.url, attachment.title),
      attachment.url,
    );
    // Re-read under the transaction, so two downloads of the same attachment link only one.
    const linked = await this.em.transactional(async (em) => {
      const fresh = await em.findOne(Message, messageId, { refresh: true });
      if (!fresh || fresh.attachments[index]?.storedFileId) return false;
      em.persist(file);
      fresh.attachments = fresh.attachments.map((item, position) =>
        position === index ? { ...item, storedFileId: file.id } : item,
      );
      return true;
    });
    // Another download linked its copy first, or the page was deleted meanwhile.
    if (!linked) await this.storage.remove([storageKey]);
    return linked;
  }

  /** Keeps a file an operator uploaded (to send it to a visitor); the caller persists it. */
  async storeUpload(
    tenant: Tenant,
    upload: { content: Buffer; contentType: string; fileName: string },
  ): Promise<StoredFile> {
    const storageKey = `${tenant.id}/${uuidv7()}`;
    const { size } = await this.storage.put(storageKey, Readable.from(upload.content));
    return new StoredFile(tenant, storageKey, upload.contentType, size, upload.fileName, null);
  }

  /** The bytes of a stored file, for a link made by FileUrlSigner. */
  async openSigned(
    fileId: string,
    expires: number,
    signature: string,
  ): Promise<{ file: StoredFile; content: Readable }> {
    if (!this.signer.isValid(fileId, expires, signature)) {
      throw new AppError(
        'LINK_EXPIRED',
        'This file link has expired or is not valid. Reload the conversation.',
        403,
      );
    }
    const file = await this.em.findOne(StoredFile, fileId, { filters: { [TENANT_FILTER]: false } });
    const content = file ? await this.storage.open(file.storageKey) : null;
    if (!file || !content) throw new NotFoundError('The file');
    return { file, content };
  }
}

function limitBytes(maximum: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(
        seen > maximum ? new Error(`Attachment is larger than ${maximum} bytes`) : null,
        chunk,
      );
    },
  });
}

function fileNameOf(url: string, title: string | null): string | null {
  if (title) return title;
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || null;
  } catch {
    return null;
  }
}
