import { z } from 'zod';

/** A job is named by the id its start answered with: a video's or recording's media id, or a batch id. */
export const jobParams = z.object({ id: z.uuid().describe('The `id` a job-starting request answered with.') });
