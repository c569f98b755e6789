import type { HandleUploadBody } from '@vercel/blob/client';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireCaller } from '@/lib/auth/session';
import { AppError, errorResponse } from '@/lib/errors';
import { parseJson } from '@/lib/http';
import { directUploadsEnabled, ingestIncoming, issueUploadToken, newIncomingPathname, type DirectUploadKind } from '@/lib/uploads/direct';
import { incomingUpload } from '@/lib/uploads/direct-schema';

// The handlers behind /api/uploads/<kind>/token and /blob: the same for videos and recordings.

export async function incomingPathname(): Promise<Response> {
  try {
    const caller = await requireCaller();
    if (!directUploadsEnabled()) throw new AppError('not_found', 'Direct uploads are only available with Vercel Blob storage.');
    return Response.json({ pathname: newIncomingPathname(caller) }, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}

export async function clientToken(kind: DirectUploadKind, request: Request): Promise<Response> {
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
    return Response.json(await issueUploadToken(kind, caller, body, request));
  } catch (error) {
    return errorResponse(error);
  }
}

export async function takeIn(kind: DirectUploadKind, request: Request): Promise<Response> {
  try {
    const body = await parseJson(request, incomingUpload);
    const caller = await requireCaller();
    await enforceRateLimit('upload', caller.id);
    return Response.json(await ingestIncoming(kind, caller, body.pathname, body.filename), { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
