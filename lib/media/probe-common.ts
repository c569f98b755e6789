import { open, stat } from 'node:fs/promises';
import { AppError, formatBytes } from '@/lib/errors';
import { formatDuration } from '@/lib/media/duration';
import { sniffImageFormat } from '@/lib/media/sniff';
import { runTool, ToolError } from '@/lib/media/video/run';

/** How the refusals name the file, e.g. { file: 'This video', kind: 'a video' } or { file: 'This audio file', kind: 'audio' }. */
export interface ProbeWording {
  file: string;
  kind: string;
  /** Said of its length: "This video is 3 h 12 min long". */
  length: string;
  /** Said of a file in no container we accept, naming the ones we do. */
  unsupported: string;
}

export interface ProbeFormat {
  format_name?: string;
  duration?: string;
}

// Generous: reading the header of a file whose index sits at its end can mean a seek across gigabytes.
export const PROBE_TIMEOUT_MS = 30_000;
const sniffBytes = 4096;

/**
 * By its first bytes, one of the containers of `inputFormats` (lib/media/video/run.ts): MP4/MOV/M4A,
 * Matroska/WebM, AVI, FLV, MPEG-TS/PS, MP3, ADTS AAC, WAV, Ogg, FLAC, AIFF, AMR. Videos and
 * recordings share the list: an MP3 sent as a video is told it has no picture, not that it is no media.
 */
export function isAcceptedContainer(head: Buffer): boolean {
  const ascii = (start: number, end: number) => head.toString('latin1', start, end);
  return (
    ['ftyp', 'moov', 'mdat', 'free', 'wide'].includes(ascii(4, 8)) || // MP4, M4A, MOV
    head.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])) || // Matroska, WebM
    (ascii(0, 4) === 'RIFF' && ['AVI ', 'WAVE'].includes(ascii(8, 12))) ||
    ascii(0, 3) === 'FLV' ||
    (head[0] === 0x47 && head[188] === 0x47) || // MPEG-TS
    head.subarray(0, 4).equals(Buffer.from([0x00, 0x00, 0x01, 0xba])) || // MPEG-PS
    ascii(0, 3) === 'ID3' ||
    (head[0] === 0xff && (head[1] & 0xe0) === 0xe0) || // MPEG audio frame, ADTS
    ['OggS', 'fLaC', 'FORM', '#!AM'].includes(ascii(0, 4)) // Ogg, FLAC, AIFF, AMR
  );
}

/**
 * The cheap checks every upload of media gets before ffprobe: not empty, not too big, and by its
 * first bytes one of the containers we accept. Nothing else reaches ffprobe: ffmpeg would read a
 * playlist as well as a video, and a playlist names other files.
 */
export async function checkFileAndHead(filePath: string, maxBytes: number, wording: ProbeWording): Promise<void> {
  const { size } = await stat(filePath);
  if (size === 0) throw new AppError('empty_file', 'This file is empty.');
  if (size > maxBytes) throw new AppError('too_large', `${wording.file} is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)}.`);
  const head = await readHead(filePath);
  // ffprobe reads a PNG or GIF as a one-frame video and an HTML page as nothing useful: name what the file really is.
  const sniffed = sniffImageFormat(head);
  if (sniffed === 'text' || sniffed === 'svg') throw new AppError('unsupported_type', `This file is not ${wording.kind} (it looks like text or HTML).`);
  if (sniffed) throw new AppError('unsupported_type', `This file is a ${sniffed.toUpperCase()} image, not ${wording.kind}. Upload it as an image.`);
  if (!isAcceptedContainer(head)) throw new AppError('unsupported_type', wording.unsupported);
}

/** ffprobe's view of a file checkFileAndHead let through; one it cannot open is damaged (`corrupt`). */
export async function ffprobe<S>(filePath: string, corrupt: (cause: ToolError) => AppError): Promise<{ streams?: S[]; format?: ProbeFormat }> {
  try {
    const { stdout } = await runTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', filePath], { timeoutMs: PROBE_TIMEOUT_MS });
    return JSON.parse(stdout);
  } catch (cause) {
    if (!(cause instanceof ToolError) || cause.timedOut) throw cause;
    throw corrupt(cause);
  }
}

export function checkDuration(durationMs: number, limits: { minDurationMs: number; maxDurationMs: number }, wording: Pick<ProbeWording, 'length'>): void {
  if (durationMs > limits.maxDurationMs) {
    throw new AppError('too_large', `${wording.length} is ${formatDuration(durationMs)} long; the limit is ${formatDuration(limits.maxDurationMs)}.`);
  }
  if (durationMs < limits.minDurationMs) {
    throw new AppError('too_short', `${wording.length} is ${formatDuration(durationMs)} long; the minimum is ${formatDuration(limits.minDurationMs)}.`);
  }
}

/** A positive number of seconds from ffprobe's text, or undefined for "N/A", 0 or nothing. */
export function positiveSeconds(value: string | undefined): number | undefined {
  const parsed = Number(value);
  return value !== undefined && Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
}

async function readHead(filePath: string): Promise<Buffer> {
  const file = await open(filePath);
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(sniffBytes), 0, sniffBytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
