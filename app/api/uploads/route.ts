import { uploadAllowance } from '@/lib/auth/quotas';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireCaller } from '@/lib/auth/session';
import { imageUploadLimits } from '@/lib/config';
import { AppError, formatBytes } from '@/lib/errors';
import { readFormUpTo, route } from '@/lib/http';
import { ingestImage } from '@/lib/uploads/image';

export const runtime = 'nodejs';

// Multipart framing around the file; a request larger than the file limit plus this is refused unread.
const MULTIPART_OVERHEAD = 64 * 1024;

const expectedShape = 'Send the image as multipart/form-data in a field named "file".';

// POST /api/uploads – upload one image (multipart field "file", `?for=batch` from the batch page); validates it and stores it for the caller
export const POST = route(async (request: Request) => {
  // Nothing of the body is read before the caller is known and within their limits.
  const caller = await requireCaller();
  const forBatch = new URL(request.url).searchParams.get('for') === 'batch';
  await enforceRateLimit(forBatch ? 'batchUpload' : 'upload', caller.id);
  const { maxBytes } = imageUploadLimits();
  const allowance = await uploadAllowance(caller);
  // The body is read through whichever is smaller, the image limit or what is left of today's quota.
  const quotaFirst = allowance.bytesLeft < maxBytes;
  if (quotaFirst && Number(request.headers.get('content-length') ?? 0) > allowance.bytesLeft + MULTIPART_OVERHEAD) throw allowance.refuse();
  let form: FormData;
  try {
    form = await readFormUpTo(request, Math.min(maxBytes, allowance.bytesLeft) + MULTIPART_OVERHEAD, (size) =>
      `This upload is ${size}; the limit is ${formatBytes(maxBytes)} per image.`,
    );
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'bad_request') throw new AppError('bad_request', expectedShape);
    throw quotaFirst && error.code === 'too_large' ? allowance.refuse() : error;
  }
  const file = form.get('file');
  if (!(file instanceof File)) throw new AppError('bad_request', expectedShape);
  allowance.check(file.size);
  const uploaded = await ingestImage(caller.id, Buffer.from(await file.arrayBuffer()), file.name || 'image');
  return Response.json(uploaded, { status: 201 });
});
