import { batchCsv, batchJson } from '@/lib/batch/export';
import { ownedBatchFromRoute } from '@/lib/batch/owner';
import { batchSummary, itemView } from '@/lib/batch/view';
import { batchItems } from '@/lib/db/batches';
import { attachmentDisposition, parseQuery, route } from '@/lib/http';
import { exportQuery } from './schema';

export const runtime = 'nodejs';

// GET /api/batches/:id/export?format=csv|json – the caller's batch results as a download
export const GET = route(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { format } = parseQuery(request, exportQuery, 'format must be csv or json.');
  const { batch } = await ownedBatchFromRoute(params);
  const [summary, rows] = await Promise.all([batchSummary(batch), batchItems(batch.id)]);
  const items = rows.map(itemView);
  const name = `batch-${batch.createdAt.toISOString().slice(0, 10)}-${batch.id.slice(0, 8)}.${format}`;
  const body = format === 'csv' ? batchCsv(summary, items) : JSON.stringify(batchJson(summary, items), null, 2);
  return new Response(body, {
    headers: {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'content-disposition': attachmentDisposition(name),
      'cache-control': 'no-store',
    },
  });
});
