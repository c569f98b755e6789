import type { HandleUploadBody } from '@vercel/blob/client';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireCaller } from '@/lib/auth/session';
import { AppError, errorResponse } from '@/lib/errors';
import { directUploadsEnabled, issueVideoUploadToken, newIncomingPathname } from '@/lib/uploads/video-direct';

export const runtime = 'nodejs';

// GET /api/uploads/video/token – a fresh pathname of the caller's own to upload a video to directly
export async function GET() {
  try {
    const caller = await requireCaller();
    if (!directUploadsEnabled()) throw new AppError('not_found', 'Direct uploads are only available with Vercel Blob storage.');
    return Response.json({ pathname: newIncomingPathname(caller) }, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

// POST /api/uploads/video/token – a client token for uploading one video straight to Vercel Blob (the @vercel/blob/client protocol)
export async function POST(request: Request) {
  try {
    let body: HandleUploadBody;
    try {
      body = (await request.json()) as HandleUploadBody;
    } catch {
      throw new AppError('bad_request', 'The request body is not valid JSON.');
    }
    if (body?.type !== 'blob.generate-client-token') throw new AppError('bad_request', 'Only client-token requests are accepted here.');
    const caller = await requireCaller();
    await enforceRateLimit('upload', caller.id);
    return Response.json(await issueVideoUploadToken(caller, body, request));
  } catch (error) {
    return errorResponse(error);
  }
}
