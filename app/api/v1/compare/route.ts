import { analysisJobResponse, analysisResponse, startAnalysis } from '@/lib/api/analysis';
import { bodyLimit, parseJsonUpTo } from '@/lib/api/body';
import { storeImages } from '@/lib/api/images';
import { requestedModel } from '@/lib/api/models';
import { apiKeyRoute } from '@/lib/auth/api-key-route';
import { checkMessageQuota } from '@/lib/auth/quotas';
import { COMPARE_IMAGES } from '@/lib/chat/comparison-schema';
import { compareSchema } from './schema';

export const runtime = 'nodejs';
export const maxDuration = 300;

// POST /api/v1/compare – compare 2 to 10 images into a structured table (similarities, differences per image, a recommendation when asked): a job, or Server-Sent Events as it is written
export function POST(request: Request) {
  return apiKeyRoute(request, 'POST /api/v1/compare', async (caller) => {
    const body = await parseJsonUpTo(request, compareSchema, bodyLimit(COMPARE_IMAGES.max));
    await checkMessageQuota(caller);
    const model = await requestedModel(body.model);
    const media = await storeImages(caller, body.images);
    const started = await startAnalysis(caller.id, { media, prompt: body.prompt, model, detail: body.detail, compare: true });
    return body.stream ? analysisResponse(started, { stream: true }) : analysisJobResponse(caller.id, started);
  });
}

// Any other method – 405 in the API's error shape
export { methodNotAllowed as GET, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE } from '@/lib/api/methods';
