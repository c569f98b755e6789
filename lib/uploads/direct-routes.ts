import type { HandleUploadBody } from '@vercel/blob/client';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireCaller } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { parseJson, route } from '@/lib/http';
import { directUploadsEnabled, ingestIncoming, issueUploadToken, newIncomingPathname, type DirectUploadKind } from '@/lib/uploads/direct';
import { clientTokenRequest, incomingUpload } from '@/lib/uploads/direct-schema';

// The handlers behind /api/uploads/<kind>/token and /blob: the same for videos and recordings.

export const incomingPathname = route(async () => {
  const caller = await requireCaller();
  if (!directUploadsEnabled()) throw new AppError('not_found', 'Direct uploads are only available with Vercel Blob storage.');
  return Response.json({ pathname: newIncomingPathname(caller) }, { headers: { 'cache-control': 'no-store' } });
});

export function clientToken(kind: DirectUploadKind) {
  return route(async (request: Request) => {
    const caller = await requireCaller();
    await enforceRateLimit('upload', caller.id);
    const body = (await parseJson(request, clientTokenRequest)) as unknown as HandleUploadBody;
    return Response.json(await issueUploadToken(kind, caller, body, request));
  });
}

export function takeIn(kind: DirectUploadKind) {
  return route(async (request: Request) => {
    const caller = await requireCaller();
    await enforceRateLimit('upload', caller.id);
    const body = await parseJson(request, incomingUpload);
    return Response.json(await ingestIncoming(kind, caller, body.pathname, body.filename), { status: 201 });
  });
}
