import { z } from 'zod';

/** A job is named by the id its start answered with: a video's or recording's media id, a batch id, or a comparison's conversation id. */
export const jobParams = z.object({ id: z.uuid().describe('The `id` a job-starting request answered with.') });
