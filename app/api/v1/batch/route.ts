import { parseJsonUpTo } from '@/lib/api/body';
import { storeImages } from '@/lib/api/images';
import { startedJobResponse } from '@/lib/api/jobs';
import { requestedModel } from '@/lib/api/models';
import { apiKeyRoute } from '@/lib/auth/api-key-route';
import { API_JOB_ROUTES } from '@/lib/auth/api-keys';
import { checkBatchQuota } from '@/lib/auth/quotas';
import { startBatch } from '@/lib/batch/control';
import { BATCH_BODY_BYTES, batchSchema } from './schema';

export const runtime = 'nodejs';
export const maxDuration = 300;

// POST /api/v1/batch – run one prompt (optionally with typed output columns) over up to 500 images as a job
export function POST(request: Request) {
  return apiKeyRoute(request, API_JOB_ROUTES.batch, async (caller) => {
    const body = await parseJsonUpTo(request, batchSchema, BATCH_BODY_BYTES);
    // Before fetching hundreds of images for a batch that could not start anyway.
    await checkBatchQuota(caller, body.images.length);
    const model = await requestedModel(body.model);
    const media = await storeImages(caller, body.images);
    const id = await startBatch(caller, { prompt: body.prompt, modelId: model.id, detail: body.detail, columns: body.columns, mediaIds: media.map((m) => m.id) });
    return startedJobResponse(caller.id, id);
  });
}

// Any other method – 405 in the API's error shape
export { methodNotAllowed as GET, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE } from '@/lib/api/methods';
