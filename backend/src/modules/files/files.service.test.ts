import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  seedConversation,
  signUpTenant,
  useTestApi,
} from '../../test/test-api.js';
import { Message } from '../conversations/message.entity.js';
import { createFileStorage } from './file-storage.js';
import { FileUrlSigner } from './file-urls.js';
import { FilesService } from './files.service.js';
import { StoredFile } from './stored-file.entity.js';

const api = useTestApi();

/** A visitor's message with one image attachment that Omni has not copied yet. */
async function messageWithImage() {
  const admin = await signUpTenant(api);
  const { page } = await connectFacebookPage(api, admin.token);
  const conversation = await seedConversation(api, page.id);
  const em = api.orm.em.fork();
  const message = await em.findOneOrFail(Message, { conversation }, { filters: false });
  message.attachments = [
    {
      kind: 'image',
      url: 'https://cdn.example/picture.png',
      title: null,
      stickerId: null,
      coordinates: null,
      facebookType: 'image',
    },
  ];
  await em.flush();
  return { tenantId: admin.tenant.id, messageId: message.id };
}

function filesService(fetchFile: typeof fetch): FilesService {
  return new FilesService(
    api.orm.em.fork() as EntityManager,
    createFileStorage(api.config),
    new FileUrlSigner(api.config.jwtSecret),
    fetchFile,
  );
}

const picture = () =>
  new Response('a picture', { headers: { 'content-type': 'image/png', 'content-length': '9' } });

async function storedBytesOf(tenantId: string): Promise<string[]> {
  return readdir(join(api.config.storageDir, tenantId)).catch(() => []);
}

describe("an attachment's copy", () => {
  it('is stored once and linked to its message', async () => {
    const { tenantId, messageId } = await messageWithImage();
    const files = filesService(async () => picture());
    expect(await files.downloadAttachment(messageId, 0)).toBe(true);
    expect(await files.downloadAttachment(messageId, 0)).toBe(false);
    const em = api.orm.em.fork();
    const message = await em.findOneOrFail(Message, messageId, { filters: false });
    const file = await em.findOneOrFail(StoredFile, message.attachments[0]!.storedFileId!, {
      filters: false,
    });
    expect(file).toMatchObject({ contentType: 'image/png', size: 9, fileName: 'picture.png' });
    expect(await storedBytesOf(tenantId)).toEqual([file.storageKey.split('/')[1]]);
  });

  it('leaves no bytes behind when the message was deleted during the download', async () => {
    const { tenantId, messageId } = await messageWithImage();
    const files = filesService(async () => {
      // The admin deletes the page (and so its messages) while the file is on its way.
      await api.orm.em.fork().nativeDelete(Message, { id: messageId }, { filters: false });
      return picture();
    });
    expect(await files.downloadAttachment(messageId, 0)).toBe(false);
    expect(await storedBytesOf(tenantId)).toEqual([]);
  });
});
