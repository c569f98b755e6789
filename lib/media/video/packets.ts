import { runTool } from './run';

/** One coded frame of the video stream as the container lists it: known without decoding anything. */
export interface Packet {
  /** Presentation time in ms on the container's clock (ffmpeg's `-copyts` time), not yet from the video's start. */
  timeMs: number;
  /** Bytes of coded data: a frame that changes much of the picture costs many. */
  size: number;
  /** Byte offset in the file, which names the packet to ffmpeg's packet filter. */
  pos: number;
  key: boolean;
  /**
   * Shown after every frame decoded before it: an I- or P-frame. The others (B-frames) are shown
   * before a frame already decoded, the one they are predicted from in part.
   */
  anchor: boolean;
}

export interface PacketScan {
  /** In presentation order. */
  packets: Packet[];
  /** The container's start time in ms, which ffmpeg subtracts from timestamps unless told not to. */
  startMs: number;
  /** Every packet has a byte offset, growing in decode order: packets can be named by it. */
  positioned: boolean;
}

/**
 * Every packet of the first video stream, read by ffprobe without decoding: a demux of the file,
 * a small fraction of the cost of decoding it. Packets without a timestamp are left out.
 */
export async function scanPackets(filePath: string, signal?: AbortSignal): Promise<PacketScan> {
  const { stdout } = await runTool(
    'ffprobe',
    [
      ...['-v', 'error', '-select_streams', 'V:0'],
      ...['-show_entries', 'packet=pts,dts,size,pos,flags:stream=time_base:format=start_time', '-of', 'compact=p=1:nk=0', filePath],
    ],
    { signal },
  );
  const lines = stdout.split('\n');
  const timeBase = fraction(field(lines.find((line) => line.startsWith('stream|')) ?? '', 'time_base'));
  const start = Number(field(lines.find((line) => line.startsWith('format|')) ?? '', 'start_time'));
  const packets: Packet[] = [];
  let latest = -Infinity;
  let positioned = true;
  for (const line of lines) {
    if (!line.startsWith('packet|')) continue;
    const pts = Number(field(line, 'pts') ?? NaN);
    const stamp = Number.isFinite(pts) ? pts : Number(field(line, 'dts') ?? NaN);
    if (!Number.isFinite(stamp)) continue;
    const timeMs = stamp * timeBase * 1000;
    // Decode order here: a frame shown after everything decoded so far is one others may be predicted from.
    const anchor = timeMs > latest;
    latest = Math.max(latest, timeMs);
    const pos = Number(field(line, 'pos') ?? NaN);
    if (!(pos > (packets.at(-1)?.pos ?? -1))) positioned = false;
    packets.push({ timeMs, size: Number(field(line, 'size') ?? 0), pos, key: (field(line, 'flags') ?? '').includes('K'), anchor });
  }
  packets.sort((a, b) => a.timeMs - b.timeMs);
  return { packets, startMs: Number.isFinite(start) ? start * 1000 : 0, positioned };
}

function field(line: string, name: string): string | undefined {
  const at = line.indexOf(`|${name}=`);
  if (at < 0) return undefined;
  const value = line.slice(at + name.length + 2);
  const end = value.indexOf('|');
  return end < 0 ? value : value.slice(0, end);
}

function fraction(text: string | undefined): number {
  const [numerator, denominator] = (text ?? '1/1000').split('/').map(Number);
  return numerator > 0 && denominator > 0 ? numerator / denominator : 1 / 1000;
}
