import { actOnOwnedAudio } from '@/lib/audio/control';
import { enforceRateLimit } from '@/lib/auth/rate-limit';
import { requireUser } from '@/lib/auth/session';
import { notFoundMessage } from '@/lib/errors';
import { idParams } from '@/lib/http-schemas';
import { parseParams, route } from '@/lib/http';
import { cancelProcessing, retryProcessing } from '@/lib/jobs/control';
import { actOnOwnedVideo } from '@/lib/video/control';

const actions = { cancel: cancelProcessing, retry: retryProcessing };
const owned = {
  video: { act: actOnOwnedVideo, notFound: notFoundMessage.video },
  audio: { act: actOnOwnedAudio, notFound: notFoundMessage.recording },
};

/**
 * The handler behind POST /api/videos/:id/{cancel,retry} and /api/audio/:id/{cancel,retry}: the
 * caller's own upload only, rate-limited, answered with the upload as the browser shows it next.
 */
export function ownerJobAction(kind: keyof typeof owned, action: keyof typeof actions) {
  return route(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await parseParams(params, idParams, owned[kind].notFound);
    const userId = await requireUser();
    await enforceRateLimit('jobs', userId);
    return Response.json(await owned[kind].act(userId, id, actions[action]));
  });
}
