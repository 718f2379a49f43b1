import { Readable } from 'node:stream';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { sqlIn } from '../../db/sql.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import { AppError, NotFoundError } from '../../errors.js';
import {
  appendToOutbox,
  conversationsChanged,
  type DispatchCommitted,
} from '../../outbox/outbox.js';
import { Message } from '../conversations/message.entity.js';
import {
  OutboundResponseTooLargeError,
  OutboundUrlRefusedError,
  type OutboundHttp,
  type OutboundPolicy,
} from '../outbound-http/outbound-http.js';
import type { UrlAllowList } from '../outbound-http/url-allow-list.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import { sniffContentType, sniffContentTypeOfStream } from './file-content-types.js';
import type { FileStorage } from './file-storage.js';
import type { FileUrlSigner } from './file-url-signer.js';
import { StoredFile } from './stored-file.entity.js';

/** Messenger's own limit for attachments. */
export const MAX_DOWNLOAD_BYTES = 25 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 30_000;
const DOWNLOAD_MAX_REDIRECTS = 3;

/**
 * stored: Omni has its copy now; skipped: nothing to do (no link, already stored, message
 * gone); refused: the link is not one Omni fetches (allow-list, address, size), for good.
 */
export type DownloadOutcome = 'stored' | 'skipped' | 'refused';

/**
 * Keeps Omni's own copy of inbound attachments (Facebook's CDN links expire) and serves
 * them through signed links.
 */
export class FilesService {
  private readonly downloadPolicy: OutboundPolicy;

  constructor(
    private readonly em: EntityManager,
    private readonly storage: FileStorage,
    private readonly signer: FileUrlSigner,
    private readonly downloads: { http: OutboundHttp; allowList: UrlAllowList },
    private readonly dispatchCommitted: DispatchCommitted,
  ) {
    this.downloadPolicy = {
      allowList: downloads.allowList,
      maxBytes: MAX_DOWNLOAD_BYTES,
      timeoutMs: DOWNLOAD_TIMEOUT_MS,
      maxRedirects: DOWNLOAD_MAX_REDIRECTS,
    };
  }

  /**
   * Downloads attachment `index` of a message into storage and links it. Idempotent: an
   * attachment that already has a stored copy is left alone, and of two downloads running at
   * once only one keeps its copy. Only through OutboundHttp, under the attachment allow-list.
   * Throws on a failure worth retrying (network, HTTP error) so the job is retried; the
   * original link stays on the message meanwhile.
   */
  async downloadAttachment(messageId: string, index: number): Promise<DownloadOutcome> {
    const message = await this.em.findOne(Message, messageId, {
      filters: { [TENANT_FILTER]: false },
    });
    const attachment = message?.attachments[index];
    if (!message || !attachment?.url || attachment.storedFileId) return 'skipped';
    const tenantId = message.tenant.id;

    const storageKey = `${tenantId}/${uuidv7()}`;
    let stored: { contentType: string; size: number };
    try {
      const response = await this.downloads.http.get(attachment.url, this.downloadPolicy);
      if (response.status < 200 || response.status > 299) {
        response.body.resume();
        throw new Error(`Download failed with HTTP ${response.status}`);
      }
      const { contentType, content } = await sniffContentTypeOfStream(response.body);
      const { size } = await this.storage.put(storageKey, content);
      stored = { contentType, size };
    } catch (error) {
      if (
        error instanceof OutboundUrlRefusedError ||
        error instanceof OutboundResponseTooLargeError
      )
        return 'refused';
      throw error;
    }
    const file = new StoredFile(
      message.tenant,
      storageKey,
      stored.contentType,
      stored.size,
      fileNameOf(attachment.url, attachment.title),
      attachment.url,
    );
    // The message row is locked: of two downloads of one attachment, the second waits here,
    // then sees the first one's copy and drops its own. The panels are sent the message
    // with its link through the outbox entry committed with it.
    const outboxEntryIds = await this.em.transactional(async (em) => {
      const fresh = await em.findOne(Message, messageId, {
        refresh: true,
        lockMode: LockMode.PESSIMISTIC_WRITE,
        filters: { [TENANT_FILTER]: { tenantId } },
      });
      if (!fresh || fresh.attachments[index]?.storedFileId) return null;
      file.message = fresh;
      file.page = fresh.page;
      em.persist(file);
      fresh.attachments = fresh.attachments.map((item, position) =>
        position === index ? { ...item, storedFileId: file.id } : item,
      );
      return appendToOutbox(sqlIn(em), [
        conversationsChanged(tenantId, { updatedMessageIds: [messageId] }),
      ]);
    });
    // Another download linked its copy first, or the page was deleted meanwhile.
    if (!outboxEntryIds) {
      await this.storage.remove([storageKey]);
      return 'skipped';
    }
    await this.dispatchCommitted(outboxEntryIds);
    return 'stored';
  }

  /**
   * Keeps a file an operator uploaded (to send it to a visitor); the caller links it to its
   * message and persists it. Its type is what the bytes show, not what the browser said.
   */
  async storeUpload(
    tenant: Tenant,
    upload: { content: Buffer; fileName: string },
  ): Promise<StoredFile> {
    const contentType = await sniffContentType(upload.content);
    const storageKey = `${tenant.id}/${uuidv7()}`;
    const { size } = await this.storage.put(storageKey, Readable.from(upload.content));
    return new StoredFile(tenant, storageKey, contentType, size, upload.fileName, null);
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

function fileNameOf(url: string, title: string | null): string | null {
  if (title) return title;
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || null;
  } catch {
    return null;
  }
}
