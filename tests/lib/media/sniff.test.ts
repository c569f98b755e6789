import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sniffImageFormat } from '@/lib/media/sniff';

const solid = () => sharp({ create: { width: 8, height: 6, channels: 3, background: '#3a7' } });

function ftyp(major: string, compatible: string[]): Buffer {
  const body = Buffer.from(major + '\0\0\0\0' + compatible.join(''), 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + body.length);
  return Buffer.concat([size, Buffer.from('ftyp', 'latin1'), body, Buffer.alloc(32)]);
}

describe('sniffImageFormat', () => {
  it.each(['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff'] as const)('recognises %s written by sharp', async (format) => {
    const bytes = await solid().toFormat(format).toBuffer();
    expect(sniffImageFormat(bytes)).toBe(format);
  });

  it('recognises big-endian TIFF and GIF87a by their signatures', () => {
    expect(sniffImageFormat(Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe('tiff');
    expect(sniffImageFormat(Buffer.from('GIF87a\x01\x00\x01\x00', 'latin1'))).toBe('gif');
  });

  it('accepts AVIF named only as a compatible brand, and rejects HEIC and MP4 in the same container', () => {
    expect(sniffImageFormat(ftyp('mif1', ['mif1', 'avif']))).toBe('avif');
    expect(sniffImageFormat(ftyp('avis', ['msf1']))).toBe('avif');
    expect(sniffImageFormat(ftyp('heic', ['mif1', 'heic']))).toBeNull();
    expect(sniffImageFormat(ftyp('isom', ['isom', 'mp41']))).toBeNull();
  });

  it('ignores what a RIFF file claims unless it says WEBP', () => {
    expect(sniffImageFormat(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull();
  });

  it.each([
    ['bare', '<svg xmlns="http://www.w3.org/2000/svg"></svg>'],
    ['with BOM and XML declaration', '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<svg width="10"/>'],
    ['after comments and a DOCTYPE', '  <!-- made by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<!-- two -->\n<SVG>'],
  ])('recognises SVG %s', (_name, text) => {
    expect(sniffImageFormat(Buffer.from(text, 'utf8'))).toBe('svg');
  });

  it('calls HTML, JSON and plain text "text", even when an <svg> is inside', () => {
    expect(sniffImageFormat(Buffer.from('<!DOCTYPE html><html><body><svg></svg></body></html>'))).toBe('text');
    expect(sniffImageFormat(Buffer.from('{"not": "an image"}\n'))).toBe('text');
    expect(sniffImageFormat(Buffer.from('Grocery list:\n\t- café\r\n'))).toBe('text');
  });

  it('still calls text "text" when the 512-byte sample cuts a multi-byte character in half', () => {
    const bytes = Buffer.from('a'.repeat(511) + 'é and more', 'utf8');
    expect(bytes[511]).toBe(0xc3);
    expect(sniffImageFormat(bytes)).toBe('text');
  });

  it('returns null for binary that is neither image nor text', () => {
    expect(sniffImageFormat(Buffer.alloc(0))).toBeNull();
    expect(sniffImageFormat(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffImageFormat(Buffer.from('%PDF-1.7\n\x00\x01\x02binary', 'latin1'))).toBeNull();
    expect(sniffImageFormat(Buffer.from([0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0x10]))).toBeNull();
  });
});
