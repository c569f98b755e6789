import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireCaller } from '@/lib/auth/session';
import { errorResponse } from '@/lib/errors';
import { parseJson } from '@/lib/http';
import { ingestIncomingVideo } from '@/lib/uploads/video-direct';
import { incomingVideo } from './schema';

export const runtime = 'nodejs';
export const maxDuration = 3600;

// POST /api/uploads/video/blob – take in a video the browser uploaded to Vercel Blob: validated, stored and queued like any upload
export async function POST(request: Request) {
  try {
    const body = await parseJson(request, incomingVideo);
    const caller = await requireCaller();
    await enforceRateLimit('upload', caller.id);
    return Response.json(await ingestIncomingVideo(caller, body.pathname, body.filename), { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
