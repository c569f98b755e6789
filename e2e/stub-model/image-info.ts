/**
 * Reads just enough of an image_url part to let tests check what the app sent (format, size, EXIF).
 * Deliberately independent of sharp and of the app's own sniffing so it can act as a second opinion.
 */
import { inflateSync } from 'node:zlib';

export interface RecordedImage {
  /** From the data: URL header; `'remote'` when the app sent an http(s) URL instead of inline bytes. */
  mediaType: string;
  /** Decoded byte length (0 for remote URLs). */
  bytes: number;
  width?: number;
  height?: number;
  /** True when a JPEG APP1 "Exif" segment or a PNG eXIf chunk is present. */
  hasExif: boolean;
  /** Only for remote URLs, so a test can see what leaked out. */
  url?: string;
  /** The top-left pixel's colour in words, for PNGs: lets "Test connection" check the model saw its image. */
  colour?: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function describeImageUrl(url: string): RecordedImage {
  const match = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(url);
  if (!match) return { mediaType: 'remote', bytes: 0, hasExif: false, url };
  const data = match[2] ? Buffer.from(match[3], 'base64') : Buffer.from(decodeURIComponent(match[3]));
  return { mediaType: match[1] || 'text/plain', bytes: data.length, ...readHeader(data) };
}

function readHeader(data: Buffer): { width?: number; height?: number; hasExif: boolean } {
  if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8) return readJpeg(data);
  if (data.length >= 24 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return readPng(data);
  return { hasExif: false };
}

function readJpeg(data: Buffer): { width?: number; height?: number; hasExif: boolean } {
  const info: { width?: number; height?: number; hasExif: boolean } = { hasExif: false };
  let offset = 2;
  while (offset + 4 <= data.length) {
    if (data[offset] !== 0xff) break;
    const marker = data[offset + 1];
    // 0xFF fill bytes may pad between segments.
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    // RSTn, SOI, EOI and TEM carry no length field.
    if ((marker >= 0xd0 && marker <= 0xd9) || marker === 0x01) {
      offset += 2;
      continue;
    }
    const length = data.readUInt16BE(offset + 2);
    const body = offset + 4;
    if (marker === 0xe1 && data.toString('latin1', body, body + 6) === 'Exif\0\0') info.hasExif = true;
    // SOF0–SOF15 hold the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && body + 5 <= data.length) {
      info.height = data.readUInt16BE(body + 1);
      info.width = data.readUInt16BE(body + 3);
    }
    // Entropy-coded data follows SOS; metadata never comes after it in practice.
    if (marker === 0xda) break;
    offset += 2 + length;
  }
  return info;
}

function readPng(data: Buffer): { width: number; height: number; hasExif: boolean } {
  let hasExif = false;
  let offset = 8;
  while (offset + 8 <= data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    if (type === 'eXIf') hasExif = true;
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), hasExif, ...pngColour(data) };
}

/**
 * The first pixel of an 8-bit RGB(A) PNG, named. Every PNG filter leaves the first pixel of the first
 * row as it is (it has no left or upper neighbour), so inflating the image data is all it takes.
 */
function pngColour(data: Buffer): { colour?: string } {
  const depth = data[24];
  const type = data[25];
  if (depth !== 8 || (type !== 2 && type !== 6)) return {};
  const idat: Buffer[] = [];
  for (let offset = 8; offset + 8 <= data.length; ) {
    const length = data.readUInt32BE(offset);
    if (data.toString('latin1', offset + 4, offset + 8) === 'IDAT') idat.push(data.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  try {
    const [, r, g, b] = inflateSync(Buffer.concat(idat));
    const named: [string, number, number, number][] = [['red', 220, 20, 20], ['green', 20, 180, 20], ['blue', 20, 20, 220], ['white', 255, 255, 255], ['black', 0, 0, 0], ['yellow', 230, 220, 20]];
    const distance = ([, nr, ng, nb]: (typeof named)[number]) => (r - nr) ** 2 + (g - ng) ** 2 + (b - nb) ** 2;
    return { colour: named.reduce((best, next) => (distance(next) < distance(best) ? next : best))[0] };
  } catch {
    return {};
  }
}
