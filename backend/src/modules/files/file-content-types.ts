import type { Readable } from 'node:stream';
import { fileTypeFromBuffer, fileTypeStream } from 'file-type';

/** What a file is when its bytes say nothing Omni recognises. */
export const UNKNOWN_CONTENT_TYPE = 'application/octet-stream';

/**
 * The only types a browser may show in place: raster images and common audio and video.
 * None of them can carry script. Everything else (SVG, HTML, XML, PDF, unknown) is served
 * as a download of application/octet-stream.
 */
const INLINE_CONTENT_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'video/mp4',
  'video/webm',
  'video/ogg',
  'video/quicktime',
  'audio/mpeg',
  'audio/mp4',
  'audio/x-m4a',
  'audio/aac',
  'audio/ogg',
  'audio/opus',
  'audio/webm',
  'audio/wav',
  'audio/x-wav',
  'audio/vnd.wave',
]);

/** How a stored file goes out: shown in place with its own type, or downloaded as bytes. */
export function servingOf(contentType: string): {
  contentType: string;
  disposition: 'inline' | 'attachment';
} {
  return INLINE_CONTENT_TYPES.has(contentType)
    ? { contentType, disposition: 'inline' }
    : { contentType: UNKNOWN_CONTENT_TYPE, disposition: 'attachment' };
}

/** The type the bytes show (magic numbers), never what the sender claimed. */
export async function sniffContentType(content: Uint8Array): Promise<string> {
  return (await fileTypeFromBuffer(content))?.mime ?? UNKNOWN_CONTENT_TYPE;
}

/** The same for a stream: the returned stream still starts at the first byte. */
export async function sniffContentTypeOfStream(
  content: Readable,
): Promise<{ contentType: string; content: Readable }> {
  const detected = await fileTypeStream(content);
  return { contentType: detected.fileType?.mime ?? UNKNOWN_CONTENT_TYPE, content: detected };
}
