import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hammingDistance, perceptualHash } from '@/lib/media/video/phash';
import { landscapeJpeg, noisy } from '@/tests/support/images';

describe('perceptualHash', () => {
  it('is 16 hex digits, the same for the same picture', async () => {
    const photo = await landscapeJpeg(640, 427);
    const hash = await perceptualHash(photo);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(await perceptualHash(photo)).toBe(hash);
  });

  it('barely changes when the picture is re-encoded, shrunk or brightened', async () => {
    const photo = await landscapeJpeg(640, 427);
    const hash = await perceptualHash(photo);
    const variants = [
      await sharp(photo).jpeg({ quality: 30 }).toBuffer(),
      await sharp(photo).resize(160).png().toBuffer(),
      await sharp(photo).modulate({ brightness: 1.15 }).jpeg().toBuffer(),
    ];
    for (const variant of variants) expect(hammingDistance(await perceptualHash(variant), hash)).toBeLessThanOrEqual(2);
  });

  it('differs in many bits between unrelated pictures', async () => {
    const landscape = await perceptualHash(await landscapeJpeg(640, 427));
    const noise = await perceptualHash(await noisy(640, 427).jpeg().toBuffer());
    const mirrored = await perceptualHash(await sharp(await landscapeJpeg(640, 427)).flop().jpeg().toBuffer());
    expect(hammingDistance(landscape, noise)).toBeGreaterThan(20);
    expect(hammingDistance(landscape, mirrored)).toBeGreaterThan(20);
  });

  it('hashes raw pixels the same as the encoded picture they came from', async () => {
    const png = await sharp(await landscapeJpeg(320, 213)).png().toBuffer();
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const raw = { width: info.width, height: info.height, channels: info.channels as 3 };
    expect(await perceptualHash(data, raw)).toBe(await perceptualHash(png));
  });

  it('sets no structure bits for a flat picture, whatever its shade', async () => {
    const hashes = [];
    for (const background of ['#000000', '#808080', '#ffffff']) {
      const flat = await sharp({ create: { width: 64, height: 64, channels: 3, background } }).png().toBuffer();
      hashes.push(await perceptualHash(flat));
    }
    // Only the first bit, for average brightness, may be set (not for black).
    expect(hashes).toEqual(['0000000000000000', '8000000000000000', '8000000000000000']);
  });
});

describe('hammingDistance', () => {
  it('counts the differing bits of two 64-bit hashes', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(hammingDistance('f0f0f0f0f0f0f0f0', '0f0f0f0f0f0f0f0f')).toBe(64);
    expect(hammingDistance('123456789abcdef0', '123456789abcdef1')).toBe(1);
  });
});
