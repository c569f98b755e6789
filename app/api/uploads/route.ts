import { checkUploadQuota } from '@/lib/auth/quotas';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireCaller } from '@/lib/auth/session';
import { imageUploadLimits } from '@/lib/config';
import { AppError, errorResponse, formatBytes } from '@/lib/errors';
import { ingestImage } from '@/lib/uploads/image';

export const runtime = 'nodejs';

// Multipart framing around the file; a request larger than the file limit plus this is refused unread.
const MULTIPART_OVERHEAD = 64 * 1024;

const expectedShape = 'Send the image as multipart/form-data in a field named "file".';

// POST /api/uploads – upload one image (multipart field "file", `?for=batch` from the batch page); validates it and stores it for the caller
export async function POST(request: Request) {
  try {
    // Parse first: a malformed request must not get as far as creating the caller's user row.
    const file = await parseUpload(request);
    const caller = await requireCaller();
    const forBatch = new URL(request.url).searchParams.get('for') === 'batch';
    await enforceRateLimit(forBatch ? 'batchUpload' : 'upload', caller.id);
    await checkUploadQuota(caller, file.size);
    const bytes = Buffer.from(await file.arrayBuffer());
    const uploaded = await ingestImage(caller.id, bytes, file.name || 'image');
    return Response.json(uploaded, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}

async function parseUpload(request: Request): Promise<File> {
  const { maxBytes } = imageUploadLimits();
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes + MULTIPART_OVERHEAD) {
    throw new AppError('too_large', `This upload is ${formatBytes(declared)}; the limit is ${formatBytes(maxBytes)} per image.`);
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError('bad_request', expectedShape);
  }
  const file = form.get('file');
  if (!(file instanceof File)) throw new AppError('bad_request', expectedShape);
  return file;
}
