import { analysisResponse, startAnalysis } from '@/lib/api/analysis';
import { bodyLimit, parseJsonUpTo } from '@/lib/api/body';
import { storeImages } from '@/lib/api/images';
import { requestedModel } from '@/lib/api/models';
import { apiKeyRoute } from '@/lib/auth/api-key-route';
import { checkMessageQuota } from '@/lib/auth/quotas';
import { analyzeImageSchema } from './schema';

export const runtime = 'nodejs';
export const maxDuration = 300;

// POST /api/v1/analyze/image – ask about one image given by URL or base64; the answer as JSON, or as Server-Sent Events with `stream: true`
export function POST(request: Request) {
  return apiKeyRoute(request, 'POST /api/v1/analyze/image', async (caller) => {
    const body = await parseJsonUpTo(request, analyzeImageSchema, bodyLimit(1));
    await checkMessageQuota(caller);
    const model = await requestedModel(body.model);
    const media = await storeImages(caller, [body]);
    const started = await startAnalysis(caller.id, { media, prompt: body.prompt, model, detail: body.detail, maxOutputTokens: body.max_tokens });
    return analysisResponse(started, { stream: body.stream });
  });
}

// Any other method – 405 in the API's error shape
export { methodNotAllowed as GET, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE } from '@/lib/api/methods';
