import type { VideoLimits } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { checkDuration, checkFileAndHead, ffprobe, PROBE_TIMEOUT_MS, positiveSeconds } from '@/lib/media/probe-common';
import { runTool, ToolError } from './run';

export interface VideoInfo {
  durationMs: number;
  /** As displayed: rotation and non-square pixels already applied (a portrait phone video has width < height). */
  width: number;
  height: number;
  /** Degrees clockwise the stored frames are turned for display. */
  rotation: 0 | 90 | 180 | 270;
  /** ffprobe's codec_name, e.g. "h264". */
  codec: string;
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm". */
  container: string;
  /** Average frame rate; null when the file does not say. */
  fps: number | null;
  hasAudio: boolean;
}

interface ProbedStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number }[];
}

const decodeTimeoutMs = 60_000;

const wording = {
  file: 'This video',
  kind: 'a video',
  length: 'This video',
  unsupported: 'This file is not a video format we can read. MP4 (H.264), MOV, WebM and MKV work.',
};
const corrupt = (cause?: unknown) => new AppError('corrupt_file', 'This video is truncated or corrupt and cannot be read.', { cause });

/**
 * Check an uploaded video by its content, cheapest checks first: size, then what ffprobe reads
 * from the header, then a decode of the first frame (a header can name a codec whose data is garbage).
 */
export async function probeVideo(filePath: string, limits: VideoLimits): Promise<VideoInfo> {
  await checkFileAndHead(filePath, limits.maxBytes, wording);
  const probe = await ffprobe<ProbedStream>(filePath, corrupt);

  const streams = probe.streams ?? [];
  // Cover art in an audio file is a "video" stream of one picture.
  const stream = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const hasAudio = streams.some((s) => s.codec_type === 'audio');
  if (!stream) {
    throw new AppError('unsupported_type', hasAudio ? 'This file has no video stream, only audio.' : 'This file has no video stream.');
  }
  const rotation = clockwiseRotation(stream);
  const { width, height } = displayedSize(stream, rotation);
  const durationMs = Math.round(1000 * (positiveSeconds(stream.duration) ?? positiveSeconds(probe.format?.duration) ?? (await lastPacketEnd(filePath))));

  checkDuration(durationMs, limits, wording);
  if (width * height > limits.maxPixels) {
    const mp = (pixels: number) => Number((pixels / 1_000_000).toPrecision(3));
    throw new AppError('too_many_pixels', `This video is ${width} × ${height} (${mp(width * height)} MP a frame); the limit is ${mp(limits.maxPixels)} MP a frame (4K, 3840 × 2160, is 8.29).`);
  }
  if (Math.min(width, height) < limits.minSide) {
    throw new AppError('too_small', `This video is ${width} × ${height} pixels; each side must be at least ${limits.minSide} pixels.`);
  }
  await decodeFirstFrame(filePath);
  return {
    durationMs,
    width,
    height,
    rotation,
    codec: stream.codec_name ?? 'unknown',
    container: probe.format?.format_name ?? 'unknown',
    fps: ratio(stream.avg_frame_rate),
    hasAudio,
  };
}

/** ffprobe reports the display matrix counter-clockwise (a portrait phone video: -90); the legacy `rotate` tag is clockwise. */
function clockwiseRotation(stream: ProbedStream): VideoInfo['rotation'] {
  const matrix = stream.side_data_list?.find((data) => typeof data.rotation === 'number');
  const degrees = matrix ? -matrix.rotation! : Number(stream.tags?.rotate ?? 0);
  const quarterTurns = (((Math.round(degrees / 90) % 4) + 4) % 4) as 0 | 1 | 2 | 3;
  return ([0, 90, 180, 270] as const)[quarterTurns];
}

function displayedSize(stream: ProbedStream, rotation: VideoInfo['rotation']) {
  const pixelAspect = ratio(stream.sample_aspect_ratio?.replace(':', '/')) ?? 1;
  const width = Math.max(1, Math.round((stream.width ?? 0) * pixelAspect));
  const height = stream.height ?? 0;
  return rotation % 180 === 0 ? { width, height } : { width: height, height: width };
}

/** "30000/1001" → 29.97; null for "0/0", "N/A" or nothing. */
function ratio(value: string | undefined): number | null {
  const [numerator, denominator] = (value ?? '').split('/').map(Number);
  const result = numerator / denominator;
  return Number.isFinite(result) && result > 0 ? result : null;
}

/**
 * A WebM recorded in a browser (MediaRecorder) is written as a stream and has no duration in its
 * header; reading every packet's timestamp (no decoding) measures it.
 */
async function lastPacketEnd(filePath: string): Promise<number> {
  const { stdout } = await runTool(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'V:0', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', filePath],
    { timeoutMs: PROBE_TIMEOUT_MS },
  );
  let end = 0;
  for (const line of stdout.split('\n')) {
    const [pts, duration] = line.split(',').map(Number);
    if (Number.isFinite(pts)) end = Math.max(end, pts + (Number.isFinite(duration) ? duration : 0));
  }
  if (end === 0) throw corrupt();
  return end;
}

/** Proves the codec and its data decode: exactly one frame must come out. */
async function decodeFirstFrame(filePath: string): Promise<void> {
  let frames: number;
  try {
    const { stdout } = await runTool(
      'ffmpeg',
      ['-nostdin', '-v', 'error', '-xerror', '-i', filePath, '-map', '0:V:0', '-frames:v', '1', '-f', 'framecrc', '-'],
      { timeoutMs: decodeTimeoutMs },
    );
    frames = stdout.split('\n').filter((line) => line && !line.startsWith('#')).length;
  } catch (cause) {
    if (cause instanceof ToolError && !cause.timedOut) throw corrupt(cause);
    throw cause;
  }
  if (frames !== 1) throw corrupt();
}
