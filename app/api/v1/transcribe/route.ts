import { startedJobResponse } from '@/lib/api/jobs';
import { apiKeyRoute } from '@/lib/auth/api-key-route';
import { API_JOB_ROUTES } from '@/lib/auth/api-keys';
import { audioUploadLimits } from '@/lib/config';
import { ingestAudio } from '@/lib/uploads/audio';
import { takeStreamedUpload } from '@/lib/uploads/streamed-request';
import { transcribeQuery } from './schema';

export const runtime = 'nodejs';
// Hours of audio over a slow line take a while; the platform default would cut it off.
export const maxDuration = 3600;

// POST /api/v1/transcribe?filename=… – upload a recording as the raw body and start its transcription as a job
export function POST(request: Request) {
  return apiKeyRoute(request, API_JOB_ROUTES.recording, async (caller) => {
    const recording = await takeStreamedUpload(request, { query: transcribeQuery, maxBytes: audioUploadLimits().maxBytes, noun: 'recording', ingest: ingestAudio, caller });
    return startedJobResponse(caller.id, recording.id);
  });
}

// Any other method – 405 in the API's error shape
export { methodNotAllowed as GET, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE } from '@/lib/api/methods';
