import { requireUser } from '@/lib/auth/session';
import { getOwnedAudio } from '@/lib/db/video-jobs';
import { AppError, notFoundMessage } from '@/lib/errors';
import { parseParams, route } from '@/lib/http';
import { jobEventsResponse } from '@/lib/jobs/events';
import { audioParams } from '../schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ id: string }> };

// GET /api/audio/:id/events – transcription progress as Server-Sent Events, until the job ends
export const GET = route(async (request: Request, { params }: Params) => {
  const { id } = await parseParams(params, audioParams, notFoundMessage.recording);
  const userId = await requireUser();
  if (!(await getOwnedAudio(userId, id))) throw new AppError('not_found', notFoundMessage.recording);
  return jobEventsResponse(request, id);
});
