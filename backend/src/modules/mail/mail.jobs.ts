import type { JobProcessors } from '../../jobs/job-map.js';
import type { MailService } from './mail.service.js';

/** Mails go out from the worker: an SMTP outage delays them (retries), never a request. */
export function mailJobs(mail: MailService): Pick<JobProcessors, 'mail-send'> {
  return {
    'mail-send': (request) => mail.send(request),
  };
}
