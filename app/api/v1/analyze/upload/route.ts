import { analysisResponse, startAnalysis } from '@/lib/api/analysis';
import { bodyLimit, parseFormUpTo } from '@/lib/api/body';
import { requestedModel } from '@/lib/api/models';
import { apiKeyRoute } from '@/lib/auth/api-key-route';
import { checkMessageQuota, checkUploadQuota } from '@/lib/auth/quotas';
import { ingestImage } from '@/lib/uploads/image';
import { analyzeUploadSchema } from './schema';

export const runtime = 'nodejs';
export const maxDuration = 300;

// POST /api/v1/analyze/upload – ask about one image sent as a multipart file; the answer as JSON, or as Server-Sent Events with `stream=true`
export function POST(request: Request) {
  return apiKeyRoute(request, 'POST /api/v1/analyze/upload', async (caller) => {
    const body = await parseFormUpTo(request, analyzeUploadSchema, bodyLimit(1));
    await checkMessageQuota(caller);
    const model = await requestedModel(body.model);
    await checkUploadQuota(caller, body.file.size);
    const media = await ingestImage(caller.id, Buffer.from(await body.file.arrayBuffer()), body.file.name || 'image');
    const started = await startAnalysis(caller.id, { media: [media], prompt: body.prompt, model, detail: body.detail, maxOutputTokens: body.max_tokens });
    return analysisResponse(started, { stream: body.stream === 'true' });
  });
}

// Any other method – 405 in the API's error shape
export { methodNotAllowed as GET, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE } from '@/lib/api/methods';
