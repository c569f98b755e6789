'use client';

import { useEffect, useRef, useState } from 'react';
import { AudioCard, RecordingTranscript } from '@/components/audio/audio-attachment';
import { ProcessingPanel } from '@/components/video/processing-panel';
import { AudioPlayer, Waveform } from '@/components/audio/audio-player';
import { useSharedAudio } from '@/components/audio/use-audio';
import { useVideoPlayers } from '@/components/video/video-players';

/**
 * A recording on a shared page, read-only: the transcript and its translations (downloads, no new
 * ones), no cancel or retry. Once its metadata-free playback copy exists (`streamUrl`; listeners never
 * get the original's bytes) it has the owner's player, and a line chosen or a time cited in an answer
 * plays it from there. Until then the waveform stands in, and a cited time shows its transcript line.
 */
export function SharedAudio({ viewUrl, filename }: { viewUrl: string; filename?: string }) {
  const { audio, requestError } = useSharedAudio(viewUrl);
  const players = useVideoPlayers();
  const figure = useRef<HTMLElement>(null);
  const [player, setPlayer] = useState<HTMLAudioElement | null>(null);
  const [shown, setShown] = useState<{ seconds: number; n: number } | null>(null);

  const name = audio?.filename ?? filename ?? 'Recording';
  const playable = audio?.streamUrl != null;
  const lines = audio?.job.status === 'succeeded' ? (audio.transcript?.segments.length ?? 0) : 0;

  // Without a player (which registers itself), answers' timestamps come here once there are lines to show them on.
  useEffect(() => {
    const element = figure.current;
    if (!players || !element || playable || lines === 0) return;
    return players.register(element, (seconds) => setShown((s) => ({ seconds, n: (s?.n ?? 0) + 1 })));
  }, [players, playable, lines]);

  return (
    <AudioCard shared name={name} audio={audio} requestError={requestError} figureRef={figure}>
      {audio && (
        <>
          {playable ? (
            <AudioPlayer audio={audio} label={name} onPlayer={setPlayer} />
          ) : (
            <>
              <Waveform src={audio.waveformUrl} player={null} durationMs={audio.durationMs} />
              <span data-testid="audio-playback-note" className="text-xs text-zinc-500 dark:text-zinc-400">
                Playback is not available for this recording yet; the transcript is.
              </span>
            </>
          )}
          {audio.job.status === 'succeeded' ? <RecordingTranscript audio={audio} player={playable ? player : null} shown={shown} /> : <ProcessingPanel kind="audio" job={audio.job} />}
        </>
      )}
    </AudioCard>
  );
}
