import type { VideoInfo } from './probe';
import { startTool } from './run';

/** A frame ffmpeg proposes: upright raw RGB pixels at the output size, with its time in the video. */
export interface Candidate {
  timeMs: number;
  /** ffmpeg's scene score against the previous decoded frame, 0–1. */
  sceneScore: number;
  /** The first frame of the time range, proposed whatever its score. */
  opensRange: boolean;
  pixels: Buffer;
}

export interface ProposalRequest {
  /** The part of the video to decode: [startMs, endMs), or from startMs to the end. */
  startMs: number;
  endMs?: number;
  sceneThreshold: number;
  floorSeconds: number;
  /** Upright output size. */
  width: number;
  height: number;
  signal?: AbortSignal;
  /** Time of each frame proposed, as decoding passes it. */
  onProposal?: (timeMs: number) => void;
}

/**
 * What keeps decoding, the cost of everything here, inside the time target (see
 * bench/video-frames.ts): no deblocking, which a scene score does not need, and one thread per
 * process, since the parts of a video are decoded side by side (frame threads then only contend).
 * Frames are skipped where nothing else can miss them. In H.264 P-frames refer only to I- and
 * P-frames, so all B-frames can go (decoded P-frames stay bit-identical); other codecs may refer to
 * B-frames, so there only frames no other frame refers to are skipped. The next decoded frame is
 * then a few frames after a cut at most. Keyframes alone would not do: encoders place them every
 * few seconds, not at cuts.
 */
function decoderOptions(codec: string): string[] {
  return ['-threads', '1', '-skip_loop_filter', 'all', '-skip_frame', codec === 'h264' ? 'bidir' : 'noref'];
}

const uprightFilters: Record<VideoInfo['rotation'], string[]> = {
  0: [],
  90: ['transpose=clock'],
  180: ['hflip', 'vflip'],
  270: ['transpose=cclock'],
};

/**
 * One streaming decode of [startMs, endMs): ffmpeg proposes the range's first frame, every frame
 * whose scene score passes the threshold and, failing those, one every `floorSeconds`; only those
 * are scaled, turned upright and written to stdout as raw RGB, their timestamps going to stderr.
 */
export async function* proposeFrames(filePath: string, info: VideoInfo, request: ProposalRequest): AsyncGenerator<Candidate> {
  const { width, height } = request;
  const stamps = new StampQueue(request.startMs);
  const run = startTool('ffmpeg', ffmpegArgs(filePath, info, request), {
    signal: request.signal,
    onStderrLine: (line) => stamps.read(line),
  });
  run.exited.then(
    () => stamps.end(),
    () => stamps.end(),
  );
  try {
    let proposed = 0;
    try {
      for await (const pixels of fixedSizeChunks(run.stdout, width * height * 3)) {
        const stamp = await stamps.next();
        if (!stamp) break;
        request.onProposal?.(stamp.timeMs);
        yield { ...stamp, opensRange: proposed++ === 0, pixels };
      }
    } catch (error) {
      // Aborting kills ffmpeg mid-frame, which ends its output early.
      request.signal?.throwIfAborted();
      throw error;
    }
    await run.exited;
  } finally {
    run.kill();
  }
}

function ffmpegArgs(filePath: string, info: VideoInfo, request: ProposalRequest): string[] {
  const { startMs, endMs, sceneThreshold, floorSeconds, width, height } = request;
  // Scaling happens before turning upright, so it targets the stored orientation.
  const [storedWidth, storedHeight] = info.rotation % 180 === 0 ? [width, height] : [height, width];
  const filters = [
    // Microsecond timestamps, so that the printed pts is exact whatever the file's time base.
    'settb=AVTB',
    `select='isnan(prev_selected_t)+gt(scene,${sceneThreshold})+gte(t-prev_selected_t,${floorSeconds})'`,
    'metadata@stamp=mode=print',
    // Everything from here on runs only for the proposed frames.
    `scale=${storedWidth}:${storedHeight}:flags=lanczos`,
    'setsar=1',
    // ffmpeg's own autorotation would turn every decoded frame.
    ...uprightFilters[info.rotation],
    'format=rgb24',
  ];
  // Seeking lands on the keyframe before startMs and decodes from there, dropping what precedes it.
  const seek = startMs > 0 ? ['-ss', `${startMs}ms`] : [];
  const duration = endMs === undefined ? [] : ['-t', `${endMs - startMs}ms`];
  return [
    ...['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'level+info'],
    ...decoderOptions(info.codec),
    ...seek,
    ...['-noautorotate', '-i', filePath, ...duration, '-map', '0:V:0', '-vf', filters.join(',')],
    // One output frame per selected frame, whatever the frame rate says.
    ...['-fps_mode', 'passthrough', '-f', 'rawvideo', 'pipe:1'],
  ];
}

/** Frame timestamps and scene scores, in the order ffmpeg prints them to stderr for each frame it outputs. */
class StampQueue {
  private stamps: { timeMs: number; sceneScore: number }[] = [];
  private timeMs: number | undefined;
  private lastTimeMs: number;
  private waiting: (() => void) | undefined;
  private ended = false;

  /** After a seek ffmpeg counts time from the seek point. */
  constructor(private readonly offsetMs: number) {
    this.lastTimeMs = offsetMs;
  }

  read(line: string): void {
    if (!line.startsWith('[metadata@stamp ')) return;
    const pts = /\] frame:\d+\s+pts:(\S+)/.exec(line);
    if (pts) {
      const micros = Number(pts[1]);
      // A frame without a timestamp ("NOPTS") still needs a stamp, or every later frame would pair with the wrong one.
      this.timeMs = Number.isFinite(micros) ? this.offsetMs + Math.max(0, Math.round(micros / 1000)) : this.lastTimeMs;
    }
    const score = /lavfi\.scene_score=([\d.]+)/.exec(line);
    if (score && this.timeMs !== undefined) {
      this.stamps.push({ timeMs: this.timeMs, sceneScore: Number(score[1]) });
      this.lastTimeMs = this.timeMs;
      this.timeMs = undefined;
      this.wake();
    }
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  /** The next stamp; stderr can lag behind stdout, so this may wait. Undefined once ffmpeg has exited without one. */
  async next(): Promise<{ timeMs: number; sceneScore: number } | undefined> {
    while (this.stamps.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.waiting = resolve));
    return this.stamps.shift();
  }

  private wake() {
    this.waiting?.();
    this.waiting = undefined;
  }
}

/** Re-cuts a byte stream into pieces of exactly `size` bytes. */
async function* fixedSizeChunks(stream: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    length += chunk.length;
    while (length >= size) {
      const joined = Buffer.concat(chunks, length);
      yield joined.subarray(0, size);
      chunks = [joined.subarray(size)];
      length -= size;
    }
  }
}
