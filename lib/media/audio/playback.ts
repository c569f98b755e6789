import type { AudioInfo } from '@/lib/media/audio/probe';
import { runFfmpegWithProgress } from '@/lib/media/video/run';

/** What the copy is served as: an M4A. */
export const audioPlaybackMediaType = 'audio/mp4';

// Every current browser plays these from an MP4 (MP3 too: Chrome, Firefox and Safari all do),
// so they are copied bit for bit; anything else (Opus, Vorbis, FLAC, PCM…) becomes AAC.
const PLAYABLE_AUDIO_CODECS = new Set(['aac', 'mp3']);
// Listening, not archiving: enough for speech and music alike, and more than two channels buys nothing in a browser.
const TRANSCODE_BITRATE = '128k';
const MAX_CHANNELS = 2;

/** Whether the copy can keep the sound as it is (a fast remux) or must re-encode it to AAC. */
export function audioNeedsTranscode(info: Pick<AudioInfo, 'codec'>): boolean {
  return !PLAYABLE_AUDIO_CODECS.has(info.codec);
}

/**
 * The copy people listen to, and the only one a shared link may play: an M4A every browser plays,
 * with the index up front for streaming and no metadata at all — titles, artists, comments,
 * chapters and cover art can name people and places the sharer never meant to show.
 * A recording inside a video gives only its sound.
 */
export async function makeAudioPlaybackCopy(
  input: string,
  output: string,
  info: AudioInfo,
  options: { signal?: AbortSignal; onProgress?: (processedMs: number) => void } = {},
): Promise<void> {
  await runFfmpegWithProgress(
    [
      '-nostdin', '-v', 'error', '-y', '-i', input,
      // Cover art is a video stream: -vn keeps it out as surely as a video's picture.
      '-map', '0:a:0', '-vn', ...audioCodecArgs(info),
      '-map_metadata', '-1', '-map_chapters', '-1', '-fflags', '+bitexact',
      '-movflags', '+faststart', '-f', 'mp4', output,
    ],
    options,
  );
}

function audioCodecArgs(info: AudioInfo): string[] {
  if (!audioNeedsTranscode(info)) return ['-c:a', 'copy'];
  // A channel count ffprobe could not tell (0) gets stereo, which holds anything.
  const channels = Math.min(info.channels || MAX_CHANNELS, MAX_CHANNELS);
  return ['-c:a', 'aac', '-b:a', TRANSCODE_BITRATE, '-ac', String(channels)];
}
