/**
 * The naive frame selection the bench measures Glimpse against, as tutorials and most "chat with
 * your video" projects do it: decode every frame, keep one a second, write it as JPEG, hash each
 * JPEG (pHash) and keep it when it differs from the last kept one by more than 10 bits.
 */
import { hammingDistance, perceptualHash } from '@/lib/media/video/phash';
import { startTool } from '@/lib/media/video/run';

export interface NaiveFrame {
  timeMs: number;
  jpeg: Buffer;
}

const hashThreshold = 10;
const jpegStart = Buffer.from([0xff, 0xd8]);

/** The frames the naive pipeline keeps, 512 px on the long side like Glimpse's, with their times. */
export async function naiveFrames(filePath: string): Promise<NaiveFrame[]> {
  // Default decoder threads and every frame decoded: nothing skipped. `fps=1` keeps the frame nearest each second.
  const run = startTool('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-i', filePath, '-map', '0:V:0'],
    ...['-vf', 'fps=1,scale=512:512:force_original_aspect_ratio=decrease', '-c:v', 'mjpeg', '-q:v', '4', '-f', 'image2pipe', 'pipe:1'],
  ]);
  const kept: NaiveFrame[] = [];
  let lastHash: string | undefined;
  let second = 0;
  let pending = Buffer.alloc(0);
  const consider = async (jpeg: Buffer) => {
    const hash = await perceptualHash(jpeg);
    if (lastHash === undefined || hammingDistance(hash, lastHash) > hashThreshold) {
      kept.push({ timeMs: second * 1000, jpeg });
      lastHash = hash;
    }
    second++;
  };
  for await (const chunk of run.stdout) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    // Each JPEG starts with FF D8; the next one's start ends the one before.
    for (let next = pending.indexOf(jpegStart, 2); next > 0; next = pending.indexOf(jpegStart, 2)) {
      await consider(pending.subarray(0, next));
      pending = pending.subarray(next);
    }
  }
  if (pending.length > 0) await consider(pending);
  await run.exited;
  return kept;
}
