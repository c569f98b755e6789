import { getSharedMedia } from '@/lib/db/share-links';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, parseQuery, route } from '@/lib/http';
import { transcriptDownload } from '@/lib/transcripts/download';
import { transcriptDownloadQuery, transcriptQueryMessage } from './schema';
import { loadTranscriptView } from '@/lib/transcripts/load';
import { paramsSchema } from '../schema';

export const runtime = 'nodejs';

type Params = { params: Promise<{ token: string; mediaId: string }> };

// GET /share/:token/media/:mediaId/transcript?format=txt|srt|vtt[&translation=<id>] – a shared recording's or video's transcript, while its link is live
export const GET = route(async (request: Request, { params }: Params) => {
  const { token, mediaId } = await parseParams(params, paramsSchema, notFoundMessage.recording);
  const media = await getSharedMedia(token, mediaId);
  if (!media || media.kind === 'image') throw new AppError('not_found', notFoundMessage.recording);
  return transcriptDownload(parseQuery(request, transcriptDownloadQuery, transcriptQueryMessage), media.filename, await loadTranscriptView(media));
});
