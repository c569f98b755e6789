/**
 * Image fixtures made on the fly with real sharp (nothing binary is committed), including the
 * malformed ones users can send: HTML renamed .png, a truncated JPEG, a decompression bomb, an SVG.
 */
import zlib from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

/** Deterministic noise: unlike a flat colour, every byte of the JPEG matters, so truncation is visible. */
export function noisy(width: number, height: number): Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    pixels[i] = seed >>> 24;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

/** A camera-like JPEG: EXIF orientation and a GPS position that must never reach a model. */
export function photoWithGps(width = 1600, height = 1200, background = '#3a7bd5'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'GlimpseCam', Model: 'Test 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A tiny but well-formed PNG whose header claims a 30000×30000 RGB image. */
export function decompressionBombPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(30000, 0);
  header.writeUInt32BE(30000, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(1))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await noisy(640, 480).jpeg({ quality: 90 }).toBuffer();
  return whole.subarray(0, Math.floor(whole.length * 0.6));
}

export const htmlPretendingToBePng = () => Buffer.from('<!doctype html><html><body><h1>Not an image</h1></body></html>\n');

export const svgImage = () =>
  Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n');

/** A picture worth looking at in screenshots: sky, sun, mountains and a lake, drawn as SVG and encoded as JPEG. */
export function landscapeJpeg(width = 1600, height = 1067): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 160 107">
    <defs>
      <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1e3a8a"/><stop offset="0.6" stop-color="#f97316"/><stop offset="1" stop-color="#fde68a"/></linearGradient>
      <linearGradient id="lake" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#fb923c"/><stop offset="1" stop-color="#1e3a8a"/></linearGradient>
    </defs>
    <rect width="160" height="70" fill="url(#sky)"/>
    <circle cx="112" cy="58" r="11" fill="#fef3c7"/>
    <path d="M0 70 L28 36 L46 56 L70 26 L98 62 L120 44 L160 70 Z" fill="#312e81"/>
    <path d="M0 70 L20 54 L40 66 L62 50 L84 70 Z" fill="#1e1b4b"/>
    <rect y="70" width="160" height="37" fill="url(#lake)"/>
    <path d="M104 78 h16 M100 84 h24 M108 90 h8" stroke="#fef3c7" stroke-width="1.2" opacity="0.7"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer();
}

/** Every format uploads accept, with the media type the server reports for it. */
export const acceptedFormats = [
  ['jpeg', 'image/jpeg'],
  ['png', 'image/png'],
  ['webp', 'image/webp'],
  ['gif', 'image/gif'],
  ['avif', 'image/avif'],
  ['tiff', 'image/tiff'],
] as const;
