import { startedJobResponse } from '@/lib/api/jobs';
import { apiKeyRoute } from '@/lib/auth/api-key-route';
import { API_JOB_ROUTES } from '@/lib/auth/api-keys';
import { videoUploadLimits } from '@/lib/config';
import { takeStreamedUpload } from '@/lib/uploads/streamed-request';
import { ingestVideo } from '@/lib/uploads/video';
import { analyzeVideoQuery } from './schema';

export const runtime = 'nodejs';
// A 2 GB upload over a slow line takes a while; the platform default would cut it off.
export const maxDuration = 3600;

// POST /api/v1/analyze/video?filename=… – upload a video as the raw body and start its analysis (scenes, captions, summary, transcript) as a job
export function POST(request: Request) {
  return apiKeyRoute(request, API_JOB_ROUTES.video, async (caller) => {
    const video = await takeStreamedUpload(request, { query: analyzeVideoQuery, maxBytes: videoUploadLimits().maxBytes, noun: 'video', ingest: ingestVideo, caller });
    return startedJobResponse(caller.id, video.id);
  });
}

// Any other method – 405 in the API's error shape
export { methodNotAllowed as GET, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE } from '@/lib/api/methods';
