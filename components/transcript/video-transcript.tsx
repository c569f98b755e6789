'use client';

import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import type { VideoView } from '@/components/video/video-api';

/**
 * What is said in a video, under its timeline: folded away until opened, since the timeline already
 * quotes each scene's speech. Choosing a line plays the video from there. Nothing without a transcript
 * (no sound, or no transcription model).
 */
export function VideoTranscript({ video, player }: { video: VideoView; player: HTMLMediaElement | null }) {
  if (!video.transcript) return null;
  const lines = video.transcript.segments.length;
  return (
    <details data-testid="video-transcript" className="group rounded-lg border border-zinc-200 px-3 py-2 dark:border-zinc-800">
      <summary className="cursor-pointer rounded text-sm font-medium select-none focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500">
        Transcript
        <span className="ml-2 text-xs font-normal text-zinc-500 group-open:hidden dark:text-zinc-400">{lines === 0 ? 'no speech' : `${lines.toLocaleString('en-US')} ${lines === 1 ? 'line' : 'lines'}`}</span>
      </summary>
      <div className="mt-2">
        <TranscriptPanel transcript={video.transcript} transcriptUrl={video.transcriptUrl} translationsUrl={video.translationsUrl} player={player} subject="video" />
      </div>
    </details>
  );
}
