import sharp from 'sharp';

/** Uncompressed pixels, as ffmpeg's rawvideo output or sharp's `.raw()` give them. */
export interface RawPixels {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

const sampleSide = 32;
const hashSide = 8;

// cosines[u][x]: the DCT-II basis, only for the lowest `hashSide` frequencies the hash keeps.
const cosines = Array.from({ length: hashSide }, (_, u) =>
  Array.from({ length: sampleSide }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * sampleSide))),
);

/**
 * 64-bit perceptual hash (pHash) as 16 hex digits: the picture shrunk to 32 × 32 grey, its lowest
 * 8 × 8 cosine frequencies, one bit per frequency: is it above their median? Re-encoding, rescaling and
 * changes of brightness leave it (nearly) unchanged; unrelated pictures differ in about half the bits.
 * A simpler difference hash (dHash) was tried: on flat areas such as sky it flipped 5 bits for a
 * re-encode alone. `image` is an encoded image, or raw pixels when `raw` describes them.
 */
export async function perceptualHash(image: Buffer, raw?: RawPixels): Promise<string> {
  const grey = await sharp(image, raw ? { raw } : {})
    .greyscale()
    .resize(sampleSide, sampleSide, { fit: 'fill' })
    .raw()
    .toBuffer();
  // Separable 2-D DCT: along each row first, then down each column.
  const rows = Array.from({ length: sampleSide }, (_, y) =>
    cosines.map((basis) => basis.reduce((sum, c, x) => sum + c * grey[y * sampleSide + x], 0)),
  );
  const frequencies: number[] = [];
  for (let v = 0; v < hashSide; v++) {
    for (let u = 0; u < hashSide; u++) frequencies.push(cosines[v].reduce((sum, c, y) => sum + c * rows[y][u], 0));
  }
  // The first is the average brightness, which says nothing about the picture's structure.
  const median = [...frequencies.slice(1)].sort((a, b) => a - b)[(frequencies.length - 1) >> 1];
  let hash = 0n;
  // The tolerance keeps rounding noise (a flat picture's frequencies are all about 0) from setting bits.
  for (const frequency of frequencies) hash = (hash << 1n) | (frequency - median > 1e-6 ? 1n : 0n);
  return hash.toString(16).padStart(16, '0');
}

/** How many of the 64 bits differ between two hashes from perceptualHash. */
export function hammingDistance(a: string, b: string): number {
  let differing = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  for (; differing > 0n; differing &= differing - 1n) count++;
  return count;
}
