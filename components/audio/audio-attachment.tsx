'use client';

import { useState, type ReactNode, type Ref } from 'react';
import type { AudioView } from '@/components/audio/audio-api';
import { ProcessingPanel } from '@/components/video/processing-panel';
import { AudioPlayer } from '@/components/audio/audio-player';
import { ShareMediaButton } from '@/components/share/share-dialog';
import { useAudio } from '@/components/audio/use-audio';
import { TranscriptPanel, type TranscriptPanelProps } from '@/components/transcript/transcript-panel';
import { VideoTitle } from '@/components/video/video-title';

export const audioCardClass = 'w-full max-w-xl overflow-hidden rounded-2xl border border-zinc-200 bg-white text-left dark:border-zinc-800 dark:bg-zinc-900';

/** A recording's transcript once it is transcribed; said plainly when there is none. */
export function RecordingTranscript({ audio, player, shown }: { audio: AudioView; player: HTMLMediaElement | null; shown?: TranscriptPanelProps['shown'] }) {
  if (!audio.transcript) {
    return (
      <p data-testid="transcript-missing" className="text-sm text-zinc-500 dark:text-zinc-400">
        This recording has no transcript.
      </p>
    );
  }
  return (
    <TranscriptPanel
      transcript={audio.transcript}
      transcriptUrl={audio.transcriptUrl}
      translationsUrl={audio.translationsUrl}
      player={player}
      subject="recording"
      shown={shown}
    />
  );
}

/** The frame both cards share: the name and length, then what goes under it. */
export function AudioCard(props: {
  /** A shared page's card: read-only. */
  shared?: boolean;
  name: string;
  audio: AudioView | null;
  requestError: string | null;
  figureRef?: Ref<HTMLElement>;
  /** Beside the title: the owner's Share button. */
  action?: ReactNode;
  children: ReactNode;
}) {
  const { shared = false, name, audio, requestError, figureRef, action, children } = props;
  return (
    <figure ref={figureRef} data-testid="audio-attachment" data-shared={shared} data-status={audio?.job.status} className={audioCardClass}>
      <div className="flex flex-col gap-3 p-3">
        <figcaption className="flex flex-col gap-0.5 text-sm">
          <span className="flex items-center gap-2">
            <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden className="shrink-0 text-zinc-500 dark:text-zinc-400">
              <path d="M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z" />
              <path d="M19 11a7 7 0 0 1-14 0M12 18v3" />
            </svg>
            <span className="min-w-0 flex-1">
              <VideoTitle name={name} durationMs={audio?.durationMs ?? null} />
            </span>
            {action}
          </span>
        </figcaption>
        {!audio && !requestError && <div data-testid="audio-loading" className="h-28 w-full animate-pulse rounded-lg bg-zinc-200 dark:bg-zinc-800" />}
        {requestError && (
          <p role="alert" data-testid="audio-request-error" className="text-sm text-red-700 dark:text-red-400">
            {requestError}
          </p>
        )}
        {children}
      </div>
    </figure>
  );
}

/**
 * A recording in a sent message, the owner's: its waveform and player, then its transcription
 * (with cancel and retry) or, once done, its transcript.
 */
export function AudioAttachment({ mediaId, filename }: { mediaId: string; filename?: string }) {
  const { audio, requestError, acting, cancel, retry } = useAudio(mediaId);
  const [player, setPlayer] = useState<HTMLAudioElement | null>(null);
  const name = audio?.filename ?? filename ?? 'Recording';

  return (
    <AudioCard
      name={name}
      audio={audio}
      requestError={requestError}
      action={audio?.job.status === 'succeeded' && <ShareMediaButton mediaId={mediaId} noun="recording" />}
    >
      {audio && (
        <>
          <AudioPlayer audio={audio} label={name} onPlayer={setPlayer} />
          {audio.job.status === 'succeeded' ? (
            <RecordingTranscript audio={audio} player={player} />
          ) : (
            <ProcessingPanel kind="audio" job={audio.job} acting={acting} onCancel={cancel} onRetry={retry} />
          )}
        </>
      )}
    </AudioCard>
  );
}
