import { requireUser } from '@/lib/auth/session';
import { getOwnedMedia } from '@/lib/db/media';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, parseQuery, route } from '@/lib/http';
import { transcriptDownload } from '@/lib/transcripts/download';
import { transcriptDownloadQuery, transcriptQueryMessage } from './schema';
import { loadTranscriptView } from '@/lib/transcripts/load';
import { mediaParams } from '../schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ id: string }> };

// GET /api/media/:id/transcript?format=txt|srt|vtt[&translation=<id>] – download the transcript of the caller's recording or video, or a translation
export const GET = route(async (request: Request, { params }: Params) => {
  const { id } = await parseParams(params, mediaParams, notFoundMessage.recording);
  const userId = await requireUser();
  const media = await getOwnedMedia(userId, id);
  if (!media || media.kind === 'image') throw new AppError('not_found', notFoundMessage.recording);
  return transcriptDownload(parseQuery(request, transcriptDownloadQuery, transcriptQueryMessage), media.filename, await loadTranscriptView(media));
});
