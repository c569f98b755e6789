import { checkUploadQuota } from '@/lib/auth/quotas';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireCaller } from '@/lib/auth/session';
import { videoUploadLimits } from '@/lib/config';
import { AppError, errorResponse, formatBytes } from '@/lib/errors';
import { ingestVideo } from '@/lib/uploads/video';
import { videoUploadQuery } from './schema';

export const runtime = 'nodejs';
// A 2 GB upload over a slow line takes a while; the platform default would cut it off.
export const maxDuration = 3600;

// PUT /api/uploads/video?filename=… – upload one video as the raw request body; validated with ffprobe, stored and queued for processing
export async function PUT(request: Request) {
  try {
    const query = videoUploadQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) throw new AppError('bad_request', 'Name the video with ?filename= (at most 500 characters).');
    if (!request.body) throw new AppError('empty_file', 'This file is empty (0 bytes).');
    const { maxBytes } = videoUploadLimits();
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > maxBytes) {
      throw new AppError('too_large', `This video is ${formatBytes(declared)}; the limit is ${formatBytes(maxBytes)} per video.`);
    }
    const caller = await requireCaller();
    await enforceRateLimit('upload', caller.id);
    if (declared > 0) await checkUploadQuota(caller, declared);
    const uploaded = await ingestVideo(caller, request.body, query.data.filename);
    return Response.json(uploaded, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
