import { requireAdminOr404 } from '@/lib/auth/admin';
import { db } from '@/lib/db/client';
import { AppError, errorResponse, notFoundMessage } from '@/lib/errors';
import { idParams } from '@/lib/http-schemas';
import { parseParams } from '@/lib/http';
import { transcriptDownload } from '@/lib/transcripts/download';
import { loadTranscriptView } from '@/lib/transcripts/load';

export const runtime = 'nodejs';

// GET /admin/media/:id/transcript?format=txt|srt|vtt[&translation=<id>] – someone's transcript, for the admin console (admins only)
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await parseParams(params, idParams, notFoundMessage.recording);
    await requireAdminOr404(notFoundMessage.recording);
    const media = await db().media.findUnique({ where: { id } });
    if (!media || media.kind === 'image') throw new AppError('not_found', notFoundMessage.recording);
    return transcriptDownload(request, media.filename, await loadTranscriptView(media));
  } catch (error) {
    return errorResponse(error);
  }
}
