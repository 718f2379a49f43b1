import type { JobProcessors } from '../../jobs/job-map.js';
import type { JobQueues } from '../../jobs/job-queues.js';
import { PROFILE_FETCH_ATTEMPTS, type ContactProfilesService } from './contact-profiles.service.js';

/** Visitors' names and photos, fetched from the User Profile API and retried with backoff. */
export function conversationsJobs(
  profiles: ContactProfilesService,
  queues: JobQueues,
): Pick<JobProcessors, 'contact-profiles'> {
  return {
    'contact-profiles': async ({ contactIds, attempt = 1 }) => {
      const { retry } = await profiles.refresh(contactIds);
      // Later events ask again anyway (PROFILE_REQUEST_TIMEOUT_MS); this is sooner.
      if (retry.length > 0 && attempt < PROFILE_FETCH_ATTEMPTS) {
        await queues.enqueue(
          'contact-profiles',
          { contactIds: retry, attempt: attempt + 1 },
          { delay: 5_000 * 2 ** (attempt - 1) },
        );
      }
    },
  };
}
