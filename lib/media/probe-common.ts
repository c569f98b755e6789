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
}

export interface ProbeFormat {
  format_name?: string;
  duration?: string;
}

// Generous: reading the header of a file whose index sits at its end can mean a seek across gigabytes.
export const PROBE_TIMEOUT_MS = 30_000;
const sniffBytes = 4096;

/**
 * The cheap checks every upload of media gets before ffprobe: not empty, not too big, not an image
 * or a page under a media name. Returns the file's first bytes, to tell damage from a wrong format later.
 */
export async function checkFileAndHead(filePath: string, maxBytes: number, wording: ProbeWording): Promise<Buffer> {
  const { size } = await stat(filePath);
  if (size === 0) throw new AppError('empty_file', 'This file is empty.');
  if (size > maxBytes) throw new AppError('too_large', `${wording.file} is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)}.`);
  const head = await readHead(filePath);
  // ffprobe reads a PNG or GIF as a one-frame video and an HTML page as nothing useful: name what the file really is.
  const sniffed = sniffImageFormat(head);
  if (sniffed === 'text' || sniffed === 'svg') throw new AppError('unsupported_type', `This file is not ${wording.kind} (it looks like text or HTML).`);
  if (sniffed) throw new AppError('unsupported_type', `This file is a ${sniffed.toUpperCase()} image, not ${wording.kind}. Upload it as an image.`);
  return head;
}

/** ffprobe's view of the file; `unreadable` decides what a file ffprobe cannot open is (damaged, or not media at all). */
export async function ffprobe<S>(filePath: string, unreadable: (cause: ToolError) => AppError): Promise<{ streams?: S[]; format?: ProbeFormat }> {
  try {
    const { stdout } = await runTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', filePath], { timeoutMs: PROBE_TIMEOUT_MS });
    return JSON.parse(stdout);
  } catch (cause) {
    if (!(cause instanceof ToolError) || cause.timedOut) throw cause;
    throw unreadable(cause);
  }
}

export function checkDuration(durationMs: number, limits: { minDurationMs: number; maxDurationMs: number }, wording: ProbeWording): void {
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
