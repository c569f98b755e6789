import { availableModels, defaultModel } from '@/lib/ai/registry';
import { db } from '@/lib/db/client';
import { getBlobStore } from '@/lib/storage';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'error'> {
  try {
    await check();
    return 'ok';
  } catch (error) {
    console.error('health check failed', error);
    return 'error';
  }
}

// GET /api/health – liveness of the database, blob storage and model configuration
export async function GET() {
  const [database, storage, models, fallback] = await Promise.all([
    probe(() => db().$queryRaw`SELECT 1`),
    probe(() => getBlobStore().check()),
    availableModels(),
    defaultModel(),
  ]);
  const healthy = database === 'ok' && storage === 'ok';
  return Response.json(
    {
      status: healthy ? 'ok' : 'degraded',
      database,
      storage: { status: storage, backend: getBlobStore().kind },
      models: { available: models.length, default: fallback?.id ?? null },
    },
    { status: healthy ? 200 : 503 },
  );
}
