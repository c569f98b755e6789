import type { Readable } from 'node:stream';
import type { VideoInfo } from './probe';
import { startTool } from './run';

/** Side of the square thumbnail every decoded frame gets, RGB: enough to compare pictures, too coarse for noise. */
export const thumbSide = 32;
const thumbBytes = thumbSide * thumbSide * 3;

/** A frame as decoding passes it, on the container's clock (see ./packets). */
export interface DecodedFrame {
  timeMs: number;
  /** thumbSide² RGB of the stored picture, averaged over its area. */
  thumb: Buffer;
  /** Upright RGB at the requested size, for the frames the request proposes. */
  pixels?: Buffer;
}

export interface DecodeRequest {
  /** Video time (from its start) to begin at: decoding starts at the keyframe at or before it. */
  fromMs: number;
  /** Video time to stop reading at, or the end. */
  toMs?: number;
  /**
   * Which packets reach the decoder: an ffmpeg expression over `pos` (the packet's byte offset) and
   * `key`. Every other packet is dropped before decoding, the saving this module exists for.
   */
  keep: string;
  /** Which decoded frames are thumbnailed at all: an ffmpeg select expression; the others are decoded only for the ones after them. */
  thumbnail: string;
  /** Which thumbnailed frames come out at full size: an ffmpeg select expression over `t` (container seconds), `key`… */
  propose: string;
  /** Upright output size of proposed frames. */
  width: number;
  height: number;
  signal?: AbortSignal;
}

/**
 * Skips what no caller needs, in the decoder: deblocking, which comparing pictures does not need;
 * frame threads, since parts of a video are decoded side by side; and frames no other frame refers
 * to. In H.264 P-frames refer only to I- and P-frames, so all B-frames can go (decoded P-frames
 * stay bit-identical); other codecs may refer to B-frames, so there only unreferenced frames go.
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

/** Commas separate filters and options in ffmpeg's filter syntax; inside an expression they must be escaped. */
const escapeCommas = (expression: string) => expression.replaceAll(',', '\\,');

/**
 * Decodes the packets `request.keep` names and yields every decoded frame in time order: a thumbnail
 * of each, and the full picture of those `request.propose` selects. Two processes: one ffmpeg reads
 * the file and drops unwanted packets without decoding them (the `noise` bitstream filter's drop
 * expression), the other decodes what is left, from a Matroska pipe that keeps every timestamp.
 */
export async function* decodeFrames(filePath: string, info: VideoInfo, request: DecodeRequest): AsyncGenerator<DecodedFrame> {
  const { signal } = request;
  const range = [...(request.fromMs > 0 ? ['-ss', `${request.fromMs}ms`] : []), ...(request.toMs === undefined ? [] : ['-t', `${request.toMs - request.fromMs}ms`])];
  const reader = startTool(
    'ffmpeg',
    [
      ...['-nostdin', '-v', 'error', '-copyts', ...range, '-i', filePath, '-map', '0:V:0', '-c', 'copy'],
      ...['-bsf:v', `noise=drop=${escapeCommas(`not(${request.keep})`)}`, '-f', 'matroska', 'pipe:1'],
    ],
    { signal },
  );
  const thumbStamps = new StampQueue();
  const fullStamps = new StampQueue();
  const decoder = startTool('ffmpeg', decoderArgs(info, request), {
    signal,
    stdin: reader.stdout,
    extraOutputs: 1,
    onStderrLine: (line) => {
      if (line.startsWith('[showinfo@thumb ')) thumbStamps.read(line);
      else if (line.startsWith('[showinfo@full ')) fullStamps.read(line);
    },
  });
  const ended = Promise.allSettled([reader.exited, decoder.exited]).then(() => {
    thumbStamps.end();
    fullStamps.end();
  });
  const thumbs = new BufferQueue(decoder.outputs[0], thumbBytes);
  // Read ahead by a few frames: ffmpeg may write a proposed frame before the thumbnail of the same
  // frame, and must not wait for it to be taken. Beyond that ffmpeg waits, so a slow reader holds little.
  const full = new BufferQueue(decoder.stdout, request.width * request.height * 3, 4);
  try {
    try {
      let nextFull = await fullStamps.next();
      for (;;) {
        const [timeMs, thumb] = await Promise.all([thumbStamps.next(), thumbs.next()]);
        if (timeMs === undefined || thumb === undefined) break;
        let pixels: Buffer | undefined;
        // A proposed frame is also a thumbnail; its stamp comes first, as ffmpeg passes the frame on.
        while (nextFull !== undefined && nextFull <= timeMs) {
          const value = await full.next();
          if (nextFull === timeMs) pixels = value;
          nextFull = await fullStamps.next();
        }
        yield { timeMs, thumb, pixels };
      }
    } catch (error) {
      // Aborting kills ffmpeg mid-frame, which ends its output early.
      signal?.throwIfAborted();
      throw error;
    }
    await Promise.all([reader.exited, decoder.exited]);
  } finally {
    reader.kill();
    decoder.kill();
    await ended;
  }
}

function decoderArgs(info: VideoInfo, request: DecodeRequest): string[] {
  const { width, height } = request;
  // Scaling happens before turning upright, so it targets the stored orientation.
  const [storedWidth, storedHeight] = info.rotation % 180 === 0 ? [width, height] : [height, width];
  const graph = [
    // Microsecond timestamps, so that the printed pts is exact whatever the stream's time base.
    `[0:V:0]settb=AVTB,select@thumb='${escapeCommas(request.thumbnail)}',split[all][pick]`,
    `[all]scale=${thumbSide}:${thumbSide}:flags=area,format=rgb24,showinfo@thumb[thumb]`,
    // Everything after the select runs only for the proposed frames; ffmpeg's own autorotation would turn every frame.
    `[pick]select@pick='${escapeCommas(request.propose)}',scale=${storedWidth}:${storedHeight}:flags=area,setsar=1,` +
      [...uprightFilters[info.rotation], 'format=rgb24', 'showinfo@full[full]'].join(','),
  ].join(';');
  return [
    ...['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'level+info'],
    ...decoderOptions(info.codec),
    ...['-copyts', '-f', 'matroska', '-i', 'pipe:0', '-filter_complex', graph],
    // One output frame per frame that reaches it, whatever the frame rate says, each written at once:
    // a thumbnail left in ffmpeg's output buffer while it waits to write a full frame would be waited for.
    ...['-map', '[thumb]', '-fps_mode', 'passthrough', '-flush_packets', '1', '-f', 'rawvideo', 'pipe:3'],
    ...['-map', '[full]', '-fps_mode', 'passthrough', '-flush_packets', '1', '-f', 'rawvideo', 'pipe:1'],
  ];
}

/** Items that arrive from a process's output, taken in order by one reader that may wait for the next. */
class Arrivals<T> {
  protected items: T[] = [];
  private waiting: (() => void) | undefined;
  private ended = false;

  protected arrived(item: T): void {
    this.items.push(item);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  /** The next item; undefined once the output ended without one. */
  async next(): Promise<T | undefined> {
    while (this.items.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.waiting = resolve));
    return this.items.shift();
  }

  private wake() {
    this.waiting?.();
    this.waiting = undefined;
  }
}

/** Frame timestamps (ms) in the order one showinfo filter prints them to stderr (which can lag behind the pictures). */
class StampQueue extends Arrivals<number> {
  private last = 0;

  read(line: string): void {
    const pts = /\] (?:\[info\] )?n:\s*\d+\s+pts:\s*(\S+)/.exec(line);
    if (!pts) return;
    const micros = Number(pts[1]);
    // A frame without a timestamp ("NOPTS") still needs a stamp, or every later frame would pair with the wrong one.
    this.last = Number.isFinite(micros) ? Math.round(micros / 1000) : this.last;
    this.arrived(this.last);
  }
}

/**
 * Pieces of `size` bytes from a stream, read as it comes until `ahead` pieces wait to be taken: one
 * of ffmpeg's outputs must never wait for its reader while the reader waits for the other.
 */
class BufferQueue extends Arrivals<Buffer> {
  private partial: Buffer[] = [];
  private partialLength = 0;

  constructor(
    private readonly stream: Readable,
    private readonly size: number,
    private readonly ahead = Infinity,
  ) {
    super();
    stream.on('data', (chunk: Buffer) => this.push(chunk));
    stream.once('close', () => this.end());
    stream.once('error', () => this.end());
  }

  private push(chunk: Buffer) {
    this.partial.push(chunk);
    this.partialLength += chunk.length;
    if (this.partialLength < this.size) return;
    let joined = Buffer.concat(this.partial, this.partialLength);
    const pieces: Buffer[] = [];
    while (joined.length >= this.size) {
      pieces.push(joined.subarray(0, this.size));
      joined = joined.subarray(this.size);
    }
    this.partial = joined.length > 0 ? [joined] : [];
    this.partialLength = joined.length;
    for (const piece of pieces) this.arrived(piece);
    if (this.items.length >= this.ahead) this.stream.pause();
  }

  override async next(): Promise<Buffer | undefined> {
    const piece = await super.next();
    if (this.items.length < this.ahead && this.stream.isPaused()) this.stream.resume();
    return piece;
  }
}
