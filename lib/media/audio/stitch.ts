import type { TimedText } from '../subtitles';

/** One chunk's transcript: its segments are timed from the chunk's own start. */
export interface ChunkTranscript {
  startMs: number;
  segments: TimedText[];
}

/** The whole recording's transcript: every segment shifted to recording time, in order, empty ones dropped. */
export function stitchTranscripts(chunks: ChunkTranscript[]): TimedText[] {
  return chunks
    .flatMap(({ startMs, segments }) =>
      segments.map((segment) => ({ startMs: segment.startMs + startMs, endMs: segment.endMs + startMs, text: segment.text.trim() })),
    )
    .filter((segment) => segment.text !== '')
    .sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
}
