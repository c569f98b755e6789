import { videoUploadLimits } from '@/lib/config';
import { takeStreamedUpload } from '@/lib/uploads/streamed-request';
import { ingestVideo } from '@/lib/uploads/video';
import { videoUploadQuery } from './schema';
import { route } from '@/lib/http';

export const runtime = 'nodejs';
// A 2 GB upload over a slow line takes a while; the platform default would cut it off.
export const maxDuration = 3600;

// PUT /api/uploads/video?filename=… – upload one video as the raw request body; validated with ffprobe, stored and queued for processing
export const PUT = route(async (request: Request) => {
  const uploaded = await takeStreamedUpload(request, { query: videoUploadQuery, maxBytes: videoUploadLimits().maxBytes, noun: 'video', ingest: ingestVideo });
  return Response.json(uploaded, { status: 201 });
});
