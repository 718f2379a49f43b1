import type { JobProcessors } from '../../jobs/job-map.js';
import type { Logger } from '../../logger.js';
import type { FilesService } from './files.service.js';

/** Omni's own copy of an inbound attachment (Facebook's links expire). */
export function filesJobs(
  files: FilesService,
  logger: Logger,
): Pick<JobProcessors, 'attachment-download'> {
  return {
    'attachment-download': async ({ messageId, index }) => {
      const outcome = await files.downloadAttachment(messageId, index);
      if (outcome === 'refused') {
        logger.warn({ messageId, index }, 'attachment link refused (ATTACHMENT_URL_ALLOWLIST)');
      }
    },
  };
}
