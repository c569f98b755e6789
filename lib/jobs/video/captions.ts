import { createHash } from 'node:crypto';
import { imageBudgetFor } from '@/lib/ai/budget';
import type { ModelSpec } from '@/lib/ai/catalog';
import { prepareForModel } from '@/lib/media/image';
import { composeFrameGrid } from '@/lib/media/video/grid';
import { cachedModelCall, type CallResult } from '@/lib/jobs/video/model-call';
import { formatTimestamp } from '@/lib/media/video/timestamps';

/** Consecutive frames captioned in one call, as one grid image: a quarter of the calls and image tokens' base cost. */
export const FRAMES_PER_CAPTION_CALL = 4;

export interface FrameToCaption {
  index: number;
  timeMs: number;
  jpeg: Buffer;
  width: number;
  height: number;
}

// Bump when the prompt or the grid changes what the model sees: the cache key includes it.
const CAPTION_VERSION = 1;

function captionPrompt(frames: FrameToCaption[]): string {
  const times = frames.map((f, i) => `${i + 1} at ${formatTimestamp(f.timeMs)}`).join(', ');
  return (
    `These are ${frames.length} frames from one video, in time order, numbered in their top-left corners (${times}). ` +
    `Describe each frame in one factual sentence: who or what is visible, what happens, any readable text. ` +
    `Answer with exactly ${frames.length} lines, "1: …" to "${frames.length}: …", and nothing else.`
  );
}

/** The model's numbered lines, one caption per frame; a reply that ignored the format still captions every frame. */
export function parseCaptions(text: string, count: number): string[] {
  const byNumber = new Map<number, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*(?:frame\s*)?(\d+)\s*[:.)\-–]\s*(.+?)\s*$/i.exec(line);
    if (match && !byNumber.has(Number(match[1]))) byNumber.set(Number(match[1]), match[2]);
  }
  const whole = text.trim().replace(/\s+/g, ' ');
  return Array.from({ length: count }, (_, i) => byNumber.get(i + 1) ?? whole);
}

export async function captionFrames(
  frames: FrameToCaption[],
  model: ModelSpec,
  signal: AbortSignal,
): Promise<{ captions: { index: number; caption: string }[]; call: CallResult }> {
  const grid = await composeFrameGrid(frames);
  const budget = imageBudgetFor(model, 'high');
  const prepared = await prepareForModel(grid.data, budget);
  const prompt = captionPrompt(frames);
  const call = await cachedModelCall(
    model,
    { kind: 'video-caption', v: CAPTION_VERSION, prompt, budget, image: createHash('sha256').update(prepared.data).digest('hex') },
    [
      {
        role: 'user',
        content: [
          {
            type: 'file',
            data: new Uint8Array(prepared.data),
            mediaType: prepared.mediaType,
            providerOptions: budget.kind === 'openai-tiles' ? { openai: { imageDetail: 'high' } } : undefined,
          },
          { type: 'text', text: prompt },
        ],
      },
    ],
    signal,
  );
  const captions = parseCaptions(call.text, frames.length);
  return { captions: frames.map((f, i) => ({ index: f.index, caption: captions[i] })), call };
}

const SUMMARY_VERSION = 1;

/** A short overview from the captioned timeline: one text call, no images. */
export async function summarizeTimeline(
  timeline: string,
  model: ModelSpec,
  signal: AbortSignal,
): Promise<CallResult> {
  const prompt =
    'Here is the timeline of a video: each line is a scene start time and a description of it.\n\n' +
    `${timeline}\n\n` +
    'Summarise the whole video in 2–4 sentences for someone who has not seen it. Cite key moments as [mm:ss].';
  return cachedModelCall(model, { kind: 'video-summary', v: SUMMARY_VERSION, prompt }, [{ role: 'user', content: prompt }], signal);
}
