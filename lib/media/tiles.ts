import sharp from 'sharp';
import { openStored } from './image';
import type { TilePlan } from './tile-plan';

/**
 * The plan's tiles cut from the upright original, in plan order, as lossless PNGs: each is then
 * prepared for the model like any image (prepareForModel), so it is encoded lossily only once.
 * Deterministic, so the same bytes and plan always give the same tiles.
 */
export async function cutTiles(bytes: Buffer, plan: TilePlan): Promise<Buffer[]> {
  // Decoded once: cutting each tile from the file would decode it once per tile, and a rotated
  // (EXIF-oriented) photo is held whole in memory by every one of those decodes.
  const { data, info } = await openStored(bytes).autoOrient().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== plan.width || info.height !== plan.height) {
    throw new Error(`tile plan is for ${plan.width} × ${plan.height}, the image is ${info.width} × ${info.height}`);
  }
  const raw = { width: info.width, height: info.height, channels: info.channels };
  return Promise.all(
    plan.tiles.map((tile) =>
      sharp(data, { raw })
        .extract({ left: tile.left, top: tile.top, width: tile.width, height: tile.height })
        // Level 1: these PNGs live for one answer; speed matters more than their size.
        .png({ compressionLevel: 1 })
        .toBuffer(),
    ),
  );
}
