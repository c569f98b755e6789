import type { AudioLimits } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { checkDuration, checkFileAndHead, ffprobe, positiveSeconds } from '@/lib/media/probe-common';
import { runTool, startTool, ToolError } from '../video/run';

export interface AudioInfo {
  durationMs: number;
  /** ffprobe's codec_name of the first audio stream, e.g. "mp3", "opus", "aac". */
  codec: string;
  /** ffprobe's format_name, e.g. "mp3" or "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  sampleRate: number;
  channels: number;
  /** A video with a sound track is accepted: its sound is what gets transcribed. */
  hasVideo: boolean;
}

interface ProbedStream {
  codec_type?: string;
  codec_name?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
  disposition?: { attached_pic?: number };
}

const decodeTimeoutMs = 60_000;

const wording = {
  file: 'This audio file',
  kind: 'audio',
  length: 'This recording',
  unsupported: 'This file is not an audio format we can read. MP3, M4A, WAV, FLAC, OGG and Opus work.',
};
const corrupt = (cause?: unknown) => new AppError('corrupt_file', 'This audio file is truncated or corrupt and cannot be read.', { cause });

/**
 * Check an uploaded recording by its content, cheapest checks first: size, then what ffprobe reads
 * from the header, then a decode of its first and last second (a header can promise more than the file holds).
 */
export async function probeAudio(filePath: string, limits: AudioLimits): Promise<AudioInfo> {
  await checkFileAndHead(filePath, limits.maxBytes, wording);
  const probe = await ffprobe<ProbedStream>(filePath, corrupt);

  const streams = probe.streams ?? [];
  const stream = streams.find((s) => s.codec_type === 'audio');
  // Cover art in an MP3 or M4A is a "video" stream of one picture.
  const hasVideo = streams.some((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!stream) {
    throw new AppError('unsupported_type', hasVideo ? 'This video has no sound track.' : 'This file has no audio stream.');
  }
  const container = probe.format?.format_name ?? 'unknown';
  let durationMs = Math.round(1000 * (positiveSeconds(stream.duration) ?? positiveSeconds(probe.format?.duration) ?? 0));
  // A raw MP3 or AAC stream has no index: ffprobe reads its length from a header, or guesses it from
  // the first frames' bitrate when there is none (a VBR MP3 can be twice as long as guessed). A
  // browser's voice note (WebM written as it was recorded) says no length at all. Reading every
  // frame's time, without decoding, says how long it really is.
  if (rawStreamContainers.has(container) || durationMs === 0) {
    const readMs = await demuxedDurationMs(filePath);
    // A header promising more than the frames hold: cut short.
    if (readMs < durationMs - 1000) throw corrupt();
    durationMs = Math.max(durationMs, readMs);
  }
  if (durationMs === 0) throw corrupt();

  checkDuration(durationMs, limits, wording);
  await decodeSecond(filePath, 0);
  // An MP3 cut short keeps the duration its header promised; seeking to that end finds nothing there.
  if (durationMs > 2000) await decodeSecond(filePath, durationMs - 1000);
  return {
    durationMs,
    codec: stream.codec_name ?? 'unknown',
    container,
    sampleRate: Number(stream.sample_rate) || 0,
    channels: stream.channels ?? 0,
    hasVideo,
  };
}

const rawStreamContainers = new Set(['mp3', 'aac']);

/** The time of the end of the first audio stream's last frame, read by demuxing (no decoding). */
async function demuxedDurationMs(filePath: string): Promise<number> {
  const { stdout } = await runTool(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-i', filePath, '-map', '0:a:0', '-c', 'copy', '-f', 'null', '-progress', 'pipe:1', '-nostats', '-'],
    { timeoutMs: decodeTimeoutMs },
  ).catch((cause) => {
    throw corrupt(cause);
  });
  const times = [...stdout.matchAll(/^out_time_us=(\d+)$/gm)].map((m) => Number(m[1]));
  return Math.round((times.at(-1) ?? 0) / 1000);
}

/** Proves the codec and its data decode at `fromMs`: some samples must come out, and no decoding error. */
async function decodeSecond(filePath: string, fromMs: number): Promise<void> {
  const run = startTool(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-xerror', '-ss', String(fromMs / 1000), '-i', filePath, '-map', '0:a:0', '-t', '1', '-ac', '1', '-ar', '8000', '-f', 's16le', '-'],
    { timeoutMs: decodeTimeoutMs },
  );
  let bytes = 0;
  run.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
  try {
    await run.exited;
  } catch (cause) {
    if (cause instanceof ToolError && !cause.timedOut) throw corrupt(cause);
    throw cause;
  }
  if (bytes === 0) throw corrupt();
}
