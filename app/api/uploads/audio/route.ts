import { audioUploadLimits } from '@/lib/config';
import { ingestAudio } from '@/lib/uploads/audio';
import { takeStreamedUpload } from '@/lib/uploads/streamed-request';
import { audioUploadQuery } from './schema';
import { route } from '@/lib/http';

export const runtime = 'nodejs';
// Hours of audio over a slow line take a while; the platform default would cut it off.
export const maxDuration = 3600;

// PUT /api/uploads/audio?filename=… – upload one recording as the raw request body; validated with ffprobe, stored and queued for transcription
export const PUT = route(async (request: Request) => {
  const uploaded = await takeStreamedUpload(request, { query: audioUploadQuery, maxBytes: audioUploadLimits().maxBytes, noun: 'recording', ingest: ingestAudio });
  return Response.json(uploaded, { status: 201 });
});
