import { requireAdminOr404 } from '@/lib/auth/admin';
import { recordAudit } from '@/lib/db/audit';
import { mediaForAdmin } from '@/lib/db/admin';
import { AppError, notFoundMessage } from '@/lib/errors';
import { idParams } from '@/lib/http-schemas';
import { parseParams, parseQuery, route } from '@/lib/http';
import { transcriptDownload } from '@/lib/transcripts/download';
import { transcriptDownloadQuery, transcriptQueryMessage } from './schema';
import { loadTranscriptView } from '@/lib/transcripts/load';

export const runtime = 'nodejs';

// GET /admin/media/:id/transcript?format=txt|srt|vtt[&translation=<id>] – someone's transcript, for the admin console (admins only)
export const GET = route(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await parseParams(params, idParams, notFoundMessage.recording);
  const admin = await requireAdminOr404(notFoundMessage.recording);
  const media = await mediaForAdmin(admin, id);
  if (!media || media.kind === 'image') throw new AppError('not_found', notFoundMessage.recording);
  const download = transcriptDownload(parseQuery(request, transcriptDownloadQuery, transcriptQueryMessage), media.filename, await loadTranscriptView(media));
  await recordAudit({ actorId: admin.id, action: 'download_transcript', targetType: 'media', targetId: id });
  return download;
});
