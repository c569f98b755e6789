import sharp, { type Sharp } from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError, formatBytes } from '@/lib/errors';
import { inspectImage, makePreview, prepareForModel } from '@/lib/media/image';
import { sniffImageFormat } from '@/lib/media/sniff';
import { acceptedFormats, decompressionBombPng, noisy, truncatedJpeg } from '@/tests/support/images';
import type { ImageBudget } from '@/lib/media/types';

const limits = { maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000 };
const high: ImageBudget = { kind: 'openai-tiles', detail: 'high' };
const low: ImageBudget = { kind: 'openai-tiles', detail: 'low' };
const qwen: ImageBudget = { kind: 'max-pixels', maxPixels: 1280 * 28 * 28, minPixels: 4 * 28 * 28, patch: 28 };

function halves(width: number, height: number): Sharp {
  const blue = { input: { create: { width: width / 2, height, channels: 3 as const, background: '#0000ff' } }, left: width / 2, top: 0 };
  return sharp({ create: { width, height, channels: 3, background: '#ff0000' } }).composite([blue]);
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function withGps(image: Sharp): Promise<Buffer> {
  return image
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'TestCam' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .toBuffer();
}

// The GPS IFD pointer tag (0x8825) as libexif writes it: little-endian, type LONG, count 1.
const gpsPointerTag = Buffer.from([0x25, 0x88, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00]);

async function pixelAt(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [...data.subarray(offset, offset + 3)];
}

describe('inspectImage', () => {
  it.each(acceptedFormats)('accepts %s', async (format, mediaType) => {
    const bytes = await noisy(64, 48).toFormat(format).toBuffer();
    expect(await inspectImage(bytes, `photo.${format}`, limits)).toEqual({ format, mediaType, width: 64, height: 48 });
  });

  it('reports the size as displayed, after EXIF orientation', async () => {
    const bytes = await noisy(64, 48).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await inspectImage(bytes, 'portrait.jpg', limits)).toMatchObject({ width: 48, height: 64 });
  });

  it('reports the first frame of an animated GIF', async () => {
    const frames = await Promise.all(['#f00', '#0f0', '#00f'].map((c) => noisy(30, 20).tint(c).png().toBuffer()));
    const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(3);
    expect(await inspectImage(gif, 'animated.gif', limits)).toMatchObject({ format: 'gif', width: 30, height: 20 });
  });

  it('rejects an empty file', async () => {
    const error = await rejection(inspectImage(Buffer.alloc(0), 'empty.jpg', limits));
    expect(error.code).toBe('empty_file');
    expect(error.message).toBe('empty.jpg is empty');
  });

  it('rejects a file over the byte limit before looking inside it, stating both sizes', async () => {
    const bytes = Buffer.alloc(Math.round(31.2 * 1024 * 1024), 0xff);
    const error = await rejection(inspectImage(bytes, 'photo.jpg', limits));
    expect(error.code).toBe('too_large');
    expect(error.message).toBe('photo.jpg is 31.2 MB; the limit is 20.0 MB per image');
  });

  it('accepts a file exactly at the byte limit', async () => {
    const bytes = await noisy(64, 48).png().toBuffer();
    await expect(inspectImage(bytes, 'exact.png', { ...limits, maxBytes: bytes.length })).resolves.toMatchObject({ format: 'png' });
    const error = await rejection(inspectImage(bytes, 'exact.png', { ...limits, maxBytes: bytes.length - 1 }));
    expect(error.message).toBe(`exact.png is ${formatBytes(bytes.length)}; the limit is ${formatBytes(bytes.length - 1)} per image`);
  });

  it('rejects SVG with advice', async () => {
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    const error = await rejection(inspectImage(svg, 'logo.svg', limits));
    expect(error.code).toBe('unsupported_type');
    expect(error.message).toBe('SVG images are not accepted: convert logo.svg to PNG or JPEG first');
  });

  it('rejects HTML renamed to .png, saying what it looks like and what is accepted', async () => {
    const html = Buffer.from('<!DOCTYPE html>\n<html><head><title>Notes</title></head><body>hi</body></html>');
    const error = await rejection(inspectImage(html, 'notes.png', limits));
    expect(error.code).toBe('unsupported_type');
    expect(error.message).toBe(
      'notes.png is not an image (it looks like text or HTML). Accepted types: JPEG, PNG, WebP, GIF, AVIF and TIFF.',
    );
  });

  it('rejects unknown binary formats, listing the accepted types', async () => {
    const error = await rejection(inspectImage(Buffer.from('%PDF-1.7\n\x00\xff\x10', 'latin1'), 'scan.jpg', limits));
    expect(error.code).toBe('unsupported_type');
    expect(error.message).toContain('Accepted types: JPEG, PNG, WebP, GIF, AVIF and TIFF.');
  });

  it('rejects a small file whose header claims too many pixels, stating the dimensions and the limit', async () => {
    const bomb = decompressionBombPng();
    expect(bomb.length).toBeLessThan(100);
    const error = await rejection(inspectImage(bomb, 'huge.png', limits));
    expect(error.code).toBe('too_many_pixels');
    expect(error.message).toBe('huge.png is 30000 × 30000 (900 MP); the limit is 50 MP');
  });

  it('applies the configured pixel limit, not a fixed one', async () => {
    const bytes = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#888' } }).png().toBuffer();
    const error = await rejection(inspectImage(bytes, 'wide.png', { ...limits, maxPixels: 5_000_000 }));
    expect(error.message).toBe('wide.png is 3000 × 2000 (6 MP); the limit is 5 MP');
    await expect(inspectImage(bytes, 'wide.png', { ...limits, maxPixels: 6_000_000 })).resolves.toMatchObject({ width: 3000 });
  });

  it.each(['jpeg', 'png'] as const)('rejects a truncated %s', async (format) => {
    const whole = await noisy(320, 240).toFormat(format).toBuffer();
    const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));
    // The header survives, so only a full decode can notice.
    expect((await sharp(truncated).metadata()).width).toBe(320);
    const error = await rejection(inspectImage(truncated, `cut.${format}`, limits));
    expect(error.code).toBe('corrupt_file');
    expect(error.message).toBe(`cut.${format} is truncated or corrupt and cannot be read`);
  });

  it('rejects a file with image magic bytes but a garbage header', async () => {
    const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 0x41)]);
    expect((await rejection(inspectImage(garbage, 'bad.jpg', limits))).code).toBe('corrupt_file');
  });

  it('rejects an image more elongated than 200:1, stating its dimensions and the limit', async () => {
    const strip = await noisy(2010, 10).png().toBuffer();
    const error = await rejection(inspectImage(strip, 'banner.png', limits));
    expect(error.code).toBe('bad_request');
    expect(error.message).toBe('banner.png is 2010 × 10, more elongated than 200:1; crop it closer to square first');
    // Tall ones too, measured as displayed (EXIF orientation 6 turns 10 × 2010 stored pixels into 2010 × 10).
    const tall = await noisy(10, 2010).jpeg().toBuffer();
    expect((await rejection(inspectImage(tall, 'tall.jpg', limits))).message).toBe(
      'tall.jpg is 10 × 2010, more elongated than 200:1; crop it closer to square first',
    );
    const turned = await noisy(10, 2010).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect((await rejection(inspectImage(turned, 'turned.jpg', limits))).message).toMatch(/^turned\.jpg is 2010 × 10,/);
  });

  it('accepts an image exactly 200:1, which pixel-budget models still take', async () => {
    const strip = await noisy(2000, 10).png().toBuffer();
    await expect(inspectImage(strip, 'strip.png', limits)).resolves.toMatchObject({ width: 2000, height: 10 });
    await expect(prepareForModel(strip, qwen)).resolves.toMatchObject({ mediaType: 'image/jpeg' });
  });

  it('accepts a JPEG with stray bytes between markers, which libjpeg only warns about', async () => {
    const whole = await noisy(64, 48).jpeg().toBuffer();
    const secondMarker = 2 + 2 + whole.readUInt16BE(4);
    const stray = Buffer.concat([whole.subarray(0, secondMarker), Buffer.from([1, 2, 3, 4]), whole.subarray(secondMarker)]);
    // sharp's default (failOn 'warning') would refuse it; a camera file like this displays fine everywhere.
    await expect(sharp(stray).stats()).rejects.toThrow(/extraneous bytes/);
    expect(await inspectImage(stray, 'camera.jpg', limits)).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
  });
});

describe('makePreview', () => {
  it('makes an upright WebP that fits in 768×768', async () => {
    const original = await halves(2000, 1000).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const preview = await makePreview(original, 'photo.jpg');
    expect(sniffImageFormat(preview.data)).toBe('webp');
    expect(preview).toMatchObject({ width: 384, height: 768 });
    const metadata = await sharp(preview.data).metadata();
    expect(metadata).toMatchObject({ width: 384, height: 768 });
    expect(metadata.exif).toBeUndefined();
  });

  it('does not enlarge small images', async () => {
    const preview = await makePreview(await noisy(100, 60).png().toBuffer(), 'small.png');
    expect(preview).toMatchObject({ width: 100, height: 60 });
  });

  it('reports an image it cannot read as corrupt_file, naming it', async () => {
    const error = await rejection(makePreview(await truncatedJpeg(), 'cut.jpg'));
    expect(error.code).toBe('corrupt_file');
    expect(error.message).toBe('cut.jpg is truncated or corrupt and cannot be read');
  });
});

// inspectImage applies MAX_IMAGE_PIXELS; the later steps must open with the same limit, not sharp's
// own default (268 MP), or a larger configured limit would accept images they then refuse.
describe('the pixel limit after inspection', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('makePreview and prepareForModel use the limit they are given', async () => {
    const bytes = await noisy(100, 60).png().toBuffer();
    await expect(makePreview(bytes, 'p.png', 6000)).resolves.toMatchObject({ width: 100 });
    await expect(makePreview(bytes, 'p.png', 5999)).rejects.toMatchObject({ name: 'AppError', code: 'corrupt_file' });
    await expect(prepareForModel(bytes, high, 6000)).resolves.toMatchObject({ width: 100 });
    await expect(prepareForModel(bytes, high, 5999)).rejects.toThrow(/pixel limit/);
  });

  it('open images above sharp\'s default limit (268 MP) when MAX_IMAGE_PIXELS allows them', async () => {
    // A 900 MP header over no real pixel data: enough to see which limit applies, cheaply.
    const bomb = decompressionBombPng();
    const causeOf = (e: unknown) => String((e as AppError).cause);
    vi.stubEnv('MAX_IMAGE_PIXELS', undefined);
    expect(causeOf(await rejection(makePreview(bomb, 'bomb.png')))).toMatch(/pixel limit/);
    await expect(prepareForModel(bomb, high)).rejects.toThrow(/pixel limit/);
    vi.stubEnv('MAX_IMAGE_PIXELS', '1000000000');
    // Past the limit, they fail only on the missing pixel data itself.
    const previewError = await rejection(makePreview(bomb, 'bomb.png'));
    expect(previewError).toMatchObject({ code: 'corrupt_file', message: 'bomb.png is truncated or corrupt and cannot be read' });
    expect(causeOf(previewError)).not.toMatch(/pixel limit/);
    await expect(prepareForModel(bomb, high)).rejects.toThrow(/read error/);
  });

  it('makePreview by default uses MAX_IMAGE_PIXELS, the limit inspectImage is given at upload', async () => {
    const bytes = await noisy(100, 60).png().toBuffer();
    vi.stubEnv('MAX_IMAGE_PIXELS', '5999');
    await expect(makePreview(bytes, 'p.png')).rejects.toMatchObject({ code: 'corrupt_file' });
    vi.stubEnv('MAX_IMAGE_PIXELS', '300000000');
    await expect(makePreview(bytes, 'p.png')).resolves.toMatchObject({ width: 100 });
  });

  it('prepareForModel by default allows MAX_IMAGE_PIXELS but never less than sharp\'s default', async () => {
    const bytes = await noisy(100, 60).png().toBuffer();
    // Lowered after this image was stored: it must still reach the model.
    vi.stubEnv('MAX_IMAGE_PIXELS', '5999');
    await expect(prepareForModel(bytes, high)).resolves.toMatchObject({ width: 100 });
    vi.stubEnv('MAX_IMAGE_PIXELS', '300000000');
    await expect(prepareForModel(bytes, high)).resolves.toMatchObject({ width: 100 });
  });
});

describe('prepareForModel', () => {
  it('sends a 1024×768 JPEG for a 4:3 photo at high detail and 512×384 at low', async () => {
    const photo = await noisy(1600, 1200).jpeg({ quality: 92 }).toBuffer();
    const prepared = await prepareForModel(photo, high);
    expect(prepared).toMatchObject({ mediaType: 'image/jpeg', width: 1024, height: 768 });
    expect(sniffImageFormat(prepared.data)).toBe('jpeg');
    expect(await sharp(prepared.data).metadata()).toMatchObject({ width: 1024, height: 768 });
    expect(await prepareForModel(photo, low)).toMatchObject({ width: 512, height: 384 });
  });

  it('resizes to the exact smart_resize size for a max-pixels budget', async () => {
    const photo = await noisy(1000, 700).jpeg().toBuffer();
    // smart_resize(700, 1000) with 28 px patches rounds to 1008×700, already within the budget.
    expect(await prepareForModel(photo, qwen)).toMatchObject({ width: 1008, height: 700 });
  });

  it('turns the image upright using EXIF orientation', async () => {
    const sideways = await halves(800, 600).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const prepared = await prepareForModel(sideways, high);
    expect(prepared).toMatchObject({ width: 600, height: 800 });
    // Orientation 6 means "rotate 90° clockwise to view", which carries the stored left half (red) to the top.
    const [r1, , b1] = await pixelAt(prepared.data, 300, 100);
    const [r2, , b2] = await pixelAt(prepared.data, 300, 700);
    expect(r1).toBeGreaterThan(200);
    expect(b1).toBeLessThan(60);
    expect(b2).toBeGreaterThan(200);
    expect(r2).toBeLessThan(60);
  });

  it('strips GPS and all other metadata', async () => {
    const original = await withGps(noisy(400, 300));
    const before = await sharp(original).metadata();
    expect(before.exif?.includes(gpsPointerTag)).toBe(true);
    const prepared = await sharp((await prepareForModel(original, high)).data).metadata();
    expect(prepared.exif).toBeUndefined();
    expect(prepared.xmp).toBeUndefined();
    expect(prepared.iptc).toBeUndefined();
    expect(prepared.orientation).toBeUndefined();
  });

  it('keeps transparency by sending PNG when the source has alpha', async () => {
    const withAlpha = await sharp({ create: { width: 1200, height: 900, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } })
      .png()
      .toBuffer();
    const prepared = await prepareForModel(withAlpha, high);
    expect(prepared).toMatchObject({ mediaType: 'image/png', width: 1024, height: 768 });
    expect((await sharp(prepared.data).metadata()).hasAlpha).toBe(true);
  });

  it('is deterministic: the same input and budget give identical bytes', async () => {
    const photo = await withGps(noisy(1200, 900));
    const [first, second] = [await prepareForModel(photo, high), await prepareForModel(photo, high)];
    expect(first.data.equals(second.data)).toBe(true);
    const [third, fourth] = [await prepareForModel(photo, qwen), await prepareForModel(photo, qwen)];
    expect(third.data.equals(fourth.data)).toBe(true);
  });
});
