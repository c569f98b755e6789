import type { ImageFormat } from './types';

/** What the leading bytes say a file is; `svg` and `text` are named so we can explain the rejection. */
export type SniffedFormat = ImageFormat | 'svg' | 'text';

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const avifBrands = new Set(['avif', 'avis']);

// An SVG may hide its root element behind an XML declaration, comments and a DOCTYPE; a few KB covers real files.
const svgSearchBytes = 4096;
const textSampleBytes = 512;

/** Identify a file by its magic bytes only: the filename and the client's claimed type are not trusted. */
export function sniffImageFormat(bytes: Buffer): SniffedFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (bytes.subarray(0, 8).equals(pngSignature)) return 'png';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (isAvif(bytes)) return 'avif';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (isSvg(bytes)) return 'svg';
  if (looksLikeText(bytes)) return 'text';
  return null;
}

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function ascii(bytes: Buffer, start: number, end: number): string {
  return bytes.length >= end ? bytes.toString('latin1', start, end) : '';
}

/** ISO-BMFF starts with an `ftyp` box; HEIC and MP4 share the container, so only the AVIF brands count. */
function isAvif(bytes: Buffer): boolean {
  if (ascii(bytes, 4, 8) !== 'ftyp') return false;
  const boxEnd = Math.min(bytes.readUInt32BE(0), bytes.length);
  if (avifBrands.has(ascii(bytes, 8, 12))) return true;
  // Compatible brands follow the major brand and the 4-byte minor version.
  for (let offset = 16; offset + 4 <= boxEnd; offset += 4) {
    if (avifBrands.has(ascii(bytes, offset, offset + 4))) return true;
  }
  return false;
}

function isSvg(bytes: Buffer): boolean {
  let head = bytes.toString('utf8', 0, svgSearchBytes).replace(/^\uFEFF/, '');
  const preamble = /^\s*(?:<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE\s+svg[^>]*>)/i;
  for (let match = preamble.exec(head); match; match = preamble.exec(head)) {
    head = head.slice(match[0].length);
  }
  return /^\s*<svg[\s>]/i.test(head);
}

/** Valid UTF-8 with no control characters other than whitespace: a text or HTML file renamed to look like an image. */
function looksLikeText(bytes: Buffer): boolean {
  if (bytes.length === 0) return false;
  let sample: string;
  try {
    // `stream: true` tolerates a multi-byte character cut off by the sample boundary.
    sample = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, textSampleBytes), { stream: true });
  } catch {
    return false;
  }
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(sample);
}
