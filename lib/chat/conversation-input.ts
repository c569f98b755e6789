import type { ModelMessage } from 'ai';
import type { Media, Message } from '@/lib/generated/prisma/client';
import { mediaIdFromUrl, textOfParts, type ChatMessage } from '@/lib/chat/types';
import { getMediaMany } from '@/lib/db/media';
import { getVideoMany } from '@/lib/db/video-jobs';
import { MAX_TRANSCRIPT_CHARS, recordingContext } from '@/lib/chat/recording-context';
import { videoContext, type VideoContext } from '@/lib/chat/video-context';
import { db } from '@/lib/db/client';
import type { TimedText } from '@/lib/media/subtitles';
import { formatTimestamp } from '@/lib/media/video/timestamps';
import { prepareForModel } from '@/lib/media/image';
import { imagePart, preparedUpload } from '@/lib/chat/model-images';
import { preparedOnce } from '@/lib/media/prepared-cache';
import type { ImageBudget } from '@/lib/media/types';
import { getBlobStore } from '@/lib/storage';
import type { CacheKeyInput } from '@/lib/chat/cache-key';
import { comparisonAsText } from '@/lib/chat/comparison-schema';

interface Turn {
  role: 'user' | 'assistant';
  text: string;
  /** Images, sent as they are. */
  media: Media[];
  /** Videos, sent as their timeline (with what is said in each scene) plus a few frames. */
  videos: VideoContext[];
  /** Recordings, sent as their transcript in words. */
  recordings: string[];
}

/** A message in words; a comparison (a data part) too, so a follow-up question's model knows what it concluded. */
const textOf = (parts: ChatMessage['parts']) =>
  [textOfParts(parts, '\n'), ...parts.flatMap((p) => (p.type === 'data-comparison' && p.data.state === 'complete' ? [comparisonAsText(p.data)] : []))]
    .filter(Boolean)
    .join('\n\n');

function mediaIdsOf(parts: ChatMessage['parts']): string[] {
  return parts.flatMap((p) => (p.type === 'file' ? [mediaIdFromUrl(p.url)].filter((id): id is string => id !== null) : []));
}

/**
 * The conversation as the model should see it: completed turns only (an unfinished or failed answer
 * is not context), with each image resolved to its stored record.
 */
export async function loadTurns(rows: Message[]): Promise<Turn[]> {
  const usable = rows.filter((r) => r.role === 'user' || (r.status === 'complete' && textOf(r.parts as ChatMessage['parts'])));
  const ids = usable.flatMap((r) => mediaIdsOf(r.parts as ChatMessage['parts']));
  const media = new Map((await getMediaMany(ids)).map((m) => [m.id, m]));
  const videoIds = [...media.values()].filter((m) => m.kind === 'video').map((m) => m.id);
  const videos = new Map((videoIds.length ? await getVideoMany(videoIds) : []).map((v) => [v.id, v]));
  const transcripts = await transcriptsOf([...media.values()]);
  // One budget for every recording the model is sent, however many there are in the conversation.
  const recordingCount = usable.flatMap((r) => mediaIdsOf(r.parts as ChatMessage['parts'])).filter((id) => media.get(id)?.kind === 'audio').length;
  const transcriptBudget = Math.floor(MAX_TRANSCRIPT_CHARS / Math.max(1, recordingCount));
  // Frames are picked for the question being answered: the latest one.
  const question = textOf((usable.findLast((r) => r.role === 'user')?.parts ?? []) as ChatMessage['parts']);
  return usable.map((r) => {
    const parts = r.parts as ChatMessage['parts'];
    const attached = mediaIdsOf(parts).flatMap((id) => (media.has(id) ? [media.get(id)!] : []));
    return {
      role: r.role,
      text: textOf(parts),
      media: attached.filter((m) => m.kind === 'image'),
      videos: attached.flatMap((m) => (videos.has(m.id) ? [videoContext(videos.get(m.id)!, question, transcripts.get(m.id) ?? null)] : [])),
      recordings: attached.filter((m) => m.kind === 'audio').map((m) => recordingContext(m, transcripts.get(m.id) ?? null, question, transcriptBudget)),
    };
  });
}

/** The transcripts of the recordings and videos among `media`, by media id. */
async function transcriptsOf(media: Media[]): Promise<Map<string, { language: string | null; segments: TimedText[] }>> {
  const ids = [...new Set(media.flatMap((m) => (m.transcriptId ? [m.transcriptId] : [])))];
  if (ids.length === 0) return new Map();
  const rows = new Map((await db().transcript.findMany({ where: { id: { in: ids } } })).map((t) => [t.id, t]));
  return new Map(
    media.flatMap((m) => {
      const row = m.transcriptId ? rows.get(m.transcriptId) : undefined;
      return row ? [[m.id, { language: row.language, segments: row.segments as unknown as TimedText[] }] as const] : [];
    }),
  );
}

export function cacheTurns(turns: Turn[]): CacheKeyInput['turns'] {
  return turns.map((t) => ({
    role: t.role,
    // A video is its timeline (in words) and the frames picked for the question.
    text: [...t.videos.map((v) => v.text), ...t.recordings, t.text].join('\n\n'),
    imageHashes: [...t.media.map((m) => m.sha256), ...t.videos.flatMap((v) => v.frames.map((f) => `frame:${f.mediaId}:${f.index}:${f.hash}`))],
  }));
}

/** Images are re-derived from the stored originals, so what was sent is always reproducible. */
export async function toModelMessages(turns: Turn[], budget: ImageBudget): Promise<ModelMessage[]> {
  return Promise.all(
    turns.map(async (turn): Promise<ModelMessage> => {
      if (turn.role === 'assistant') return { role: 'assistant', content: turn.text };
      const images = await Promise.all(turn.media.map(async (m) => imagePart(await preparedUpload(m, budget), budget)));
      const videos = await Promise.all(turn.videos.map((video) => videoContent(video, budget)));
      const recordings = turn.recordings.map((text) => ({ type: 'text' as const, text }));
      return { role: 'user', content: [...images, ...videos.flat(), ...recordings, ...(turn.text ? [{ type: 'text' as const, text: turn.text }] : [])] };
    }),
  );
}

/** A video as the model reads it: the timeline, then each chosen frame after its time. */
async function videoContent(video: VideoContext, budget: ImageBudget) {
  const store = getBlobStore();
  const frames = await Promise.all(
    video.frames.map(async (frame) => {
      const prepared = await preparedOnce(`frame:${frame.thumbKey}`, budget, async () => {
        const jpeg = await store.get(frame.thumbKey);
        if (!jpeg) throw new Error(`frame ${frame.thumbKey} is missing from storage`);
        return prepareForModel(jpeg, budget);
      });
      return [{ type: 'text' as const, text: `Frame at [${formatTimestamp(frame.timeMs)}]:` }, imagePart(prepared, budget)];
    }),
  );
  return [{ type: 'text' as const, text: video.text }, ...frames.flat()];
}
