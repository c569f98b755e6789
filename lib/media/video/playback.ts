import type { VideoInfo } from '@/lib/media/video/probe';
import { runFfmpegWithProgress } from '@/lib/media/video/run';

// Video codecs every current browser plays from an MP4; anything else is re-encoded to H.264.
const PLAYABLE_VIDEO_CODECS = new Set(['h264', 'vp9', 'av1']);
// At most 1080p for the copy: it is for watching in a chat column, not for archiving.
const MAX_TRANSCODE_HEIGHT = 1080;

/** Whether the copy can keep the video stream as it is (a fast remux) or must re-encode it. */
export function needsTranscode(info: Pick<VideoInfo, 'codec'>): boolean {
  return !PLAYABLE_VIDEO_CODECS.has(info.codec);
}

/**
 * The copy people watch: an MP4 every browser plays (MKV, AVI, MPEG-4 Part 2, HEVC… are
 * re-encoded to H.264; playable video is only remuxed), with AAC sound, the index up front for
 * streaming, and no metadata at all — a phone video's original carries where it was filmed, so
 * this copy is also the one a shared link may show. Rotation is applied to the pixels when
 * re-encoding and kept as the display matrix when remuxing, so it plays upright either way.
 */
export async function makePlaybackCopy(
  input: string,
  output: string,
  info: VideoInfo,
  options: { signal?: AbortSignal; onProgress?: (processedMs: number) => void } = {},
): Promise<void> {
  const video = needsTranscode(info)
    ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-vf', `scale=-2:'min(${MAX_TRANSCODE_HEIGHT},ih)'`]
    : ['-c:v', 'copy'];
  const audio = info.hasAudio ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', '128k', '-ac', '2'] : [];
  await runFfmpegWithProgress(
    [
      '-nostdin', '-v', 'error', '-y', '-i', input,
      '-map', '0:V:0', ...audio, ...video,
      // Drop every tag (global, per stream, chapters): location, device, owner names.
      '-map_metadata', '-1', '-map_chapters', '-1', '-fflags', '+bitexact',
      '-movflags', '+faststart', '-f', 'mp4', output,
    ],
    options,
  );
}
