import type { Media, VideoFrame, VideoJob } from '@/lib/generated/prisma/client';
import { mentionedSeconds, words } from '@/lib/chat/question-words';
import type { TimedText } from '@/lib/media/subtitles';
import { formatTimestamp } from '@/lib/media/video/timestamps';
import { speechPerScene } from '@/lib/transcripts/align';

/** Frames sent with a question: enough to see what the captions describe, within a small token budget. */
export const MAX_FRAMES_PER_QUESTION = 6;

export type VideoWithTimeline = Media & { videoJob: VideoJob | null; frames: VideoFrame[] };

export interface VideoContext {
  /** The video in words: summary and timeline, for the model and for the cache key. */
  text: string;
  /** The frames the question most likely needs, in time order. */
  frames: VideoFrame[];
}

/**
 * Which frames to show the model: scenes the question names by time, then scenes whose captions
 * share the most words with it, then evenly spread ones so the model still sees the whole video.
 */
export function relevantFrames(frames: VideoFrame[], question: string, max = MAX_FRAMES_PER_QUESTION): VideoFrame[] {
  if (frames.length <= max) return frames;
  const chosen = new Set<VideoFrame>();
  for (const second of mentionedSeconds(question)) {
    const ms = second * 1000;
    const hit = frames.find((f) => f.timeMs <= ms && ms < f.endMs) ?? frames.at(-1);
    if (hit && chosen.size < max) chosen.add(hit);
  }
  const asked = words(question);
  const scored = frames
    .map((frame) => ({ frame, score: [...words(frame.caption ?? '')].filter((w) => asked.has(w)).length }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.frame.index - b.frame.index);
  // Two places stay for the overview, so a question the captions do not match still sees the video.
  for (const { frame } of scored.slice(0, Math.max(0, max - 2 - chosen.size))) chosen.add(frame);
  for (let slot = 0; chosen.size < max; slot++) {
    const spread = frames[Math.floor(((slot % max) + 0.5) * (frames.length / max))];
    chosen.add(slot < max ? spread : frames[slot % frames.length]);
  }
  return [...chosen].sort((a, b) => a.index - b.index).slice(0, max);
}

// Speech per scene beyond this is cut: the timeline has to fit with the frames in one question.
const MAX_SPEECH_PER_SCENE = 600;

/** The video in words: its timeline, each scene with what is said during it when its sound was transcribed. */
export function videoContext(video: VideoWithTimeline, question: string, transcript: { segments: TimedText[] } | null = null): VideoContext {
  const speech = transcript ? speechPerScene(video.frames.map((f) => ({ startMs: f.timeMs, endMs: f.endMs })), transcript.segments) : [];
  const said = (i: number) => (speech[i] ? ` Said: "${speech[i].length > MAX_SPEECH_PER_SCENE ? `${speech[i].slice(0, MAX_SPEECH_PER_SCENE)}…` : speech[i]}"` : '');
  const timeline = video.frames
    .map((f, i) => `[${formatTimestamp(f.timeMs)}–${formatTimestamp(f.endMs)}] ${f.caption ?? '(no description)'}${said(i)}`)
    .join('\n');
  const text = [
    `Video "${video.filename}", ${formatTimestamp(video.durationMs ?? 0)} long, ${video.width}×${video.height}.`,
    video.videoJob?.summary ? `Summary: ${video.videoJob.summary}` : '',
    transcript ? (transcript.segments.length ? 'Its sound was transcribed: each scene says what is said in it.' : 'Its sound track has no speech.') : '',
    `Timeline (scene start–end: what is visible${transcript ? ', then what is said' : ''}):`,
    timeline,
    'Frames from the moments most relevant to the question follow, each labelled with its time.',
  ]
    .filter(Boolean)
    .join('\n');
  return { text, frames: relevantFrames(video.frames, question) };
}
