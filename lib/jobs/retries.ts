/**
 * How often the queue retries a video's or recording's failed attempt (transient failures only:
 * a permanent one ends the job at once). Its own module: the job view the browser reads says
 * "retrying 2/3" without importing the queue.
 */
export const PROCESSING_RETRIES = 3;
