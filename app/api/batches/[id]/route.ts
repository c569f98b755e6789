import { ownedBatchFromRoute } from '@/lib/batch/owner';
import { batchSummary, itemView } from '@/lib/batch/view';
import { batchItems } from '@/lib/db/batches';
import { route } from '@/lib/http';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// GET /api/batches/:id – the caller's batch: progress and every image's result
export const GET = route(async (_request: Request, { params }: Params) => {
  const { batch } = await ownedBatchFromRoute(params);
  const [summary, items] = await Promise.all([batchSummary(batch), batchItems(batch.id)]);
  return Response.json({ batch: summary, items: items.map(itemView) });
});
