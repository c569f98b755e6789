import sharp from 'sharp';
import { startTool } from '@/lib/media/video/run';

export const waveformSize = { width: 640, height: 160 } as const;

// Mid grey on transparent reads on a light page and on a dark one alike.
const WAVE_COLOR = '#6b7280';
// Plenty for 640 columns of loudness, and what bounds memory: showwavespic holds every sample
// until the end, about 230 MB for four hours at this rate.
const SAMPLE_RATE = 8000;
// Few large frames instead of ~30 per second: each frame held costs a kilobyte or so besides its samples.
const SAMPLES_PER_FRAME = 65_536;
// Decoding dominates: a four-hour recording takes seconds to a minute, never this long.
const TIMEOUT_MS = 10 * 60_000;

/**
 * A small picture of the recording's loudness over time, its preview wherever a thumbnail would
 * be: all channels as one, on a square-root scale so quiet speech still shows. A line through the
 * middle is always drawn, so silence reads as a flat line rather than as a blank picture.
 */
export async function makeWaveform(input: string, options: { signal?: AbortSignal } = {}): Promise<{ data: Buffer; width: number; height: number }> {
  const { width, height } = waveformSize;
  const waves = await drawWaves(input, options.signal);
  const midline = { create: { width, height: 2, channels: 4 as const, background: WAVE_COLOR } };
  const data = await sharp(waves)
    .composite([{ input: midline, top: height / 2 - 1, left: 0 }])
    .webp({ lossless: true })
    .toBuffer();
  return { data, width, height };
}

/** The first audio stream of `input` as a PNG drawn by ffmpeg's showwavespic. */
async function drawWaves(input: string, signal: AbortSignal | undefined): Promise<Buffer> {
  const { width, height } = waveformSize;
  const graph = [
    `[0:a:0]aformat=channel_layouts=mono`,
    `aresample=${SAMPLE_RATE}`,
    // Without p=0 the last frame is padded with silence, squeezing a short recording to the left.
    `asetnsamples=n=${SAMPLES_PER_FRAME}:p=0`,
    `showwavespic=s=${width}x${height}:split_channels=0:colors=${WAVE_COLOR}:draw=full:filter=peak:scale=sqrt[wave]`,
  ].join(',');
  const run = startTool(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-i', input, '-filter_complex', graph, '-map', '[wave]', '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1'],
    { signal, timeoutMs: TIMEOUT_MS },
  );
  const chunks: Buffer[] = [];
  run.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  await run.exited;
  return Buffer.concat(chunks);
}
