import { batchEventsResponse } from '@/lib/batch/events';
import { ownedBatchFromRoute } from '@/lib/batch/owner';
import { errorResponse } from '@/lib/errors';

export const runtime = 'nodejs';
export const maxDuration = 300;

// GET /api/batches/:id/events – the caller's batch progress as Server-Sent Events until it ends
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { batch } = await ownedBatchFromRoute(params);
    return batchEventsResponse(request, batch.id);
  } catch (error) {
    return errorResponse(error);
  }
}
