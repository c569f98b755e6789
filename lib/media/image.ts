import sharp from 'sharp';
import { imageUploadLimits } from '@/lib/config';
import { AppError, formatBytes } from '@/lib/errors';
import { modelImageSize } from './resize';
import { sniffImageFormat } from './sniff';
import type { ImageBudget, ImageFormat, PreparedImage } from './types';

const mediaTypes: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  tiff: 'image/tiff',
};

const acceptedTypes = 'Accepted types: JPEG, PNG, WebP, GIF, AVIF and TIFF.';

// 'error' rejects truncated or undecodable data yet tolerates libjpeg warnings such as
// "extraneous bytes before marker", which some cameras and phone apps produce in files that display fine.
const failOn = 'error';

const previewBox = 768;
const previewQuality = 80;
const modelJpegQuality = 85;
// Pixel-budget models (Qwen's processor, see ./resize) refuse anything more elongated than this,
// so such an image is refused at upload rather than when a question about it is asked.
const maxAspectRatio = 200;

// Later steps must open whatever inspectImage accepted: sharp's own default limit (0x3FFF², about
// 268 MP) would refuse images a larger MAX_IMAGE_PIXELS lets in.
const sharpDefaultMaxPixels = 0x3fff * 0x3fff;
const configuredMaxPixels = () => imageUploadLimits().maxPixels;
// A stored original was accepted under the limit of its day; lowering MAX_IMAGE_PIXELS later
// must not make it unreadable, so preparing it for a model never goes below sharp's default.
const storedMaxPixels = () => Math.max(configuredMaxPixels(), sharpDefaultMaxPixels);

/** A stored original, opened as every step that feeds a model opens it. */
export const openStored = (bytes: Buffer, maxPixels = storedMaxPixels()) => sharp(bytes, { failOn, limitInputPixels: maxPixels });

/** Width and height, as seen, of an image the app made itself (a preview): no upload limits apply. */
export const sizeOf = (bytes: Buffer) => orientedSize(bytes, 'image', sharpDefaultMaxPixels);

export interface InspectedImage {
  format: ImageFormat;
  mediaType: string;
  /** After EXIF orientation, i.e. as the person sees it. */
  width: number;
  height: number;
}

/** Check an upload before storing it: cheapest checks first, a full decode last. */
export async function inspectImage(
  bytes: Buffer,
  filename: string,
  limits: { maxBytes: number; maxPixels: number },
): Promise<InspectedImage> {
  if (bytes.length === 0) throw new AppError('empty_file', `${filename} is empty`);
  if (bytes.length > limits.maxBytes) {
    throw new AppError(
      'too_large',
      `${filename} is ${formatBytes(bytes.length)}; the limit is ${formatBytes(limits.maxBytes)} per image`,
    );
  }
  const format = acceptedFormat(bytes, filename);
  const { width, height } = await orientedSize(bytes, filename, limits.maxPixels);
  if (Math.max(width, height) / Math.min(width, height) > maxAspectRatio) {
    throw new AppError(
      'bad_request',
      `${filename} is ${width} × ${height}, more elongated than ${maxAspectRatio}:1; crop it closer to square first`,
    );
  }
  try {
    // stats() streams every pixel through the decoder without holding the whole image in memory.
    await sharp(bytes, { failOn, limitInputPixels: limits.maxPixels }).stats();
  } catch (cause) {
    throw unreadable(filename, cause);
  }
  return { format, mediaType: mediaTypes[format], width, height };
}

function acceptedFormat(bytes: Buffer, filename: string): ImageFormat {
  const sniffed = sniffImageFormat(bytes);
  if (sniffed === 'svg') {
    throw new AppError('unsupported_type', `SVG images are not accepted: convert ${filename} to PNG or JPEG first`);
  }
  if (sniffed === 'text') {
    throw new AppError('unsupported_type', `${filename} is not an image (it looks like text or HTML). ${acceptedTypes}`);
  }
  if (sniffed === null) {
    throw new AppError('unsupported_type', `${filename} is not an image type we accept. ${acceptedTypes}`);
  }
  return sniffed;
}

async function orientedSize(bytes: Buffer, filename: string, maxPixels: number) {
  try {
    return (await sharp(bytes, { failOn, limitInputPixels: maxPixels }).metadata()).autoOrient;
  } catch (cause) {
    if (!/exceeds pixel limit/.test(String(cause))) throw unreadable(filename, cause);
  }
  // Without a limit, metadata() still reads only the header, so measuring a huge image is cheap.
  const { width, height } = (await sharp(bytes, { limitInputPixels: false }).metadata()).autoOrient;
  throw new AppError(
    'too_many_pixels',
    `${filename} is ${width} × ${height} (${megapixels(width * height)} MP); the limit is ${megapixels(maxPixels)} MP`,
  );
}

function megapixels(pixels: number): string {
  return String(Number((pixels / 1_000_000).toPrecision(3)));
}

function unreadable(filename: string, cause: unknown): AppError {
  return new AppError('corrupt_file', `${filename} is truncated or corrupt and cannot be read`, { cause });
}

/** A small WebP for the browser to display; never the original, which may carry GPS and other EXIF. */
export async function makePreview(
  bytes: Buffer,
  filename: string,
  maxPixels = configuredMaxPixels(),
): Promise<{ data: Buffer; width: number; height: number }> {
  try {
    const { data, info } = await sharp(bytes, { failOn, limitInputPixels: maxPixels })
      .autoOrient()
      .resize(previewBox, previewBox, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: previewQuality })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (cause) {
    throw unreadable(filename, cause);
  }
}

/**
 * The bytes a model receives: upright, no larger than it can use, metadata stripped.
 * Deterministic, so the same original and budget always give the same bytes (and cache key).
 */
export async function prepareForModel(
  bytes: Buffer,
  budget: ImageBudget,
  maxPixels = storedMaxPixels(),
): Promise<PreparedImage> {
  const { autoOrient, hasAlpha } = await sharp(bytes, { limitInputPixels: maxPixels }).metadata();
  const target = modelImageSize(autoOrient.width, autoOrient.height, budget);
  // Resizing in the same pipeline as the decode lets libvips shrink JPEGs while decoding them.
  const pipeline = openStored(bytes, maxPixels)
    .autoOrient()
    .resize(target.width, target.height, { fit: budget.kind === 'max-pixels' ? 'fill' : 'inside' });
  const encoded = hasAlpha
    ? pipeline.png()
    : // mozjpeg's trellis quantisation saves a few percent of bytes at several times the encode time.
      pipeline.jpeg({ quality: modelJpegQuality, mozjpeg: false });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return {
    data,
    mediaType: hasAlpha ? 'image/png' : 'image/jpeg',
    width: info.width,
    height: info.height,
  };
}

/**
 * An image a model server refused as too large, again at half the pixels (each side × 0.7) as a
 * JPEG: one smaller try before giving up. PNG stays PNG when it has transparency.
 */
export async function halvePixels(bytes: Uint8Array): Promise<{ data: Buffer; mediaType: string }> {
  const image = sharp(bytes, { limitInputPixels: storedMaxPixels() });
  const { width = 1, height = 1, hasAlpha } = await image.metadata();
  const resized = image.resize(Math.max(1, Math.round(width * Math.SQRT1_2)), Math.max(1, Math.round(height * Math.SQRT1_2)), { fit: 'fill' });
  if (hasAlpha) return { data: await resized.png().toBuffer(), mediaType: 'image/png' };
  return { data: await resized.jpeg({ quality: modelJpegQuality }).toBuffer(), mediaType: 'image/jpeg' };
}

/** A plain colour square as PNG: the smallest image that shows whether a model really looks. */
export function colourSquare(rgb: { r: number; g: number; b: number }, side = 64): Promise<Buffer> {
  return sharp({ create: { width: side, height: side, channels: 3, background: rgb } }).png().toBuffer();
}
