import { availableModels, findModel } from '@/lib/ai/registry';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireCaller, requireUser } from '@/lib/auth/session';
import { startBatch } from '@/lib/batch/control';
import { batchSummaries } from '@/lib/batch/view';
import { listBatches } from '@/lib/db/batches';
import { AppError } from '@/lib/errors';
import { parseJson, route } from '@/lib/http';
import { START_BATCH_BODY_BYTES, startBatchSchema } from './schema';

export const runtime = 'nodejs';

// POST /api/batches – run one prompt over up to 500 of the caller's uploaded images, as a queued job
export const POST = route(async (request: Request) => {
  const caller = await requireCaller();
  await enforceRateLimit('jobs', caller.id);
  const body = await parseJson(request, startBatchSchema, START_BATCH_BODY_BYTES);
  if (!(await findModel(body.modelId))) {
    const anyModel = (await availableModels()).length > 0;
    throw anyModel
      ? new AppError('bad_request', `The model "${body.modelId}" is not available. Pick another one.`)
      : new AppError('model_unavailable', 'No model is configured on this server. See the setup panel.');
  }
  const id = await startBatch(caller, body);
  return Response.json({ id }, { status: 201 });
});

// GET /api/batches – the caller's batches, newest first
export const GET = route(async () => {
  const userId = await requireUser();
  return Response.json({ batches: await batchSummaries(await listBatches(userId)) });
});
