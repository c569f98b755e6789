import sharp from 'sharp';
import { startTool } from '@/lib/media/video/run';
import type { VideoInfo } from '@/lib/media/video/probe';

const POSTER_BOX = 1024;

/**
 * The still shown before the video plays (and in the composer): a frame a little way in, since
 * many videos open on black. Upright, because ffmpeg applies the rotation while decoding.
 */
export async function makeVideoPoster(filePath: string, info: VideoInfo): Promise<{ data: Buffer; width: number; height: number }> {
  const atSeconds = Math.min(1, info.durationMs / 2000);
  const run = startTool(
    'ffmpeg',
    ['-v', 'error', '-ss', atSeconds.toFixed(3), '-i', filePath, '-frames:v', '1', '-an', '-f', 'image2pipe', '-c:v', 'png', 'pipe:1'],
    { timeoutMs: 30_000 },
  );
  const chunks: Buffer[] = [];
  run.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  await run.exited;
  const png = Buffer.concat(chunks);
  const { data, info: out } = await sharp(png)
    .resize(POSTER_BOX, POSTER_BOX, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer({ resolveWithObject: true });
  return { data, width: out.width, height: out.height };
}
