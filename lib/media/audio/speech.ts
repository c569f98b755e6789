import { open } from 'node:fs/promises';
import { runTool } from '../video/run';

/**
 * What transcription gets: 16 kHz mono 16-bit PCM WAV, the rate Whisper models work at.
 * WAV rather than FLAC because every Whisper server reads it (whisper.cpp's server reads only WAV
 * unless started with --convert) and because its size is exact: a chunk's byte size follows from its
 * length, so the chunk limit below is a guarantee, not an estimate. FLAC would halve the bytes of
 * temporary files, which does not matter here.
 */
export const speechFormat = {
  extension: 'wav',
  mimeType: 'audio/wav',
  sampleRate: 16_000,
  bytesPerSecond: 16_000 * 2,
  // ffmpeg writes a 44-byte header plus a LIST chunk naming itself; this is well above both.
  headerBytes: 1024,
} as const;

/** OpenAI's transcription endpoint refuses uploads over 25 MB. */
export const openAiMaxUploadBytes = 25_000_000;

/** The longest chunk of speech audio that fits in `maxBytes`. */
export function chunkLimitMs(maxBytes: number): number {
  return Math.floor(((maxBytes - speechFormat.headerBytes) / speechFormat.bytesPerSecond) * 1000);
}

export interface Silence {
  startMs: number;
  endMs: number;
}

export interface Chunk {
  startMs: number;
  endMs: number;
}

// Audio converts at hundreds of times real time; four hours take well under this.
const convertTimeoutMs = 15 * 60_000;

/** The first audio stream of `input` (a recording or a video) as speech audio at `output`. */
export async function toSpeechAudio(input: string, output: string, options: { signal?: AbortSignal } = {}): Promise<void> {
  await runTool(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-y', '-i', input, '-map', '0:a:0', '-ac', '1', '-ar', String(speechFormat.sampleRate), '-c:a', 'pcm_s16le', '-f', 'wav', output],
    { signal: options.signal, timeoutMs: convertTimeoutMs },
  );
}

/** Stretches quieter than `noiseDb` (e.g. -35) lasting at least `minSeconds`, as ffmpeg's silencedetect hears them. */
export async function findSilences(file: string, options: { noiseDb: number; minSeconds: number; signal?: AbortSignal }): Promise<Silence[]> {
  const silences: Silence[] = [];
  let startMs: number | null = null;
  // silencedetect reports at the info level, one line per start and end; a silence running to the end is closed there too.
  await runTool(
    'ffmpeg',
    ['-nostdin', '-hide_banner', '-nostats', '-v', 'info', '-i', file, '-map', '0:a:0', '-af', `silencedetect=noise=${options.noiseDb}dB:d=${options.minSeconds}`, '-f', 'null', '-'],
    {
      signal: options.signal,
      timeoutMs: convertTimeoutMs,
      onStderrLine: (line) => {
        const start = /silence_start: (-?[\d.]+)/.exec(line);
        const end = /silence_end: (-?[\d.]+)/.exec(line);
        if (start) startMs = Math.max(0, Math.round(Number(start[1]) * 1000));
        if (end && startMs !== null) {
          silences.push({ startMs, endMs: Math.round(Number(end[1]) * 1000) });
          startMs = null;
        }
      },
    },
  );
  return silences;
}

/**
 * Split `durationMs` into contiguous chunks of at most `maxChunkMs`. Each cut falls in the middle of
 * the last silence in the second half of the allowed span, so no word is cut in two; where the speech
 * runs on without a pause there, the cut is made at the limit.
 */
export function planChunks(durationMs: number, silences: Silence[], options: { maxChunkMs: number }): Chunk[] {
  const { maxChunkMs } = options;
  const chunks: Chunk[] = [];
  let startMs = 0;
  while (durationMs - startMs > maxChunkMs) {
    const limitMs = startMs + maxChunkMs;
    const earliestMs = startMs + maxChunkMs / 2;
    let cutMs = limitMs;
    for (const silence of silences) {
      const from = Math.max(silence.startMs, earliestMs);
      const to = Math.min(silence.endMs, limitMs);
      if (from < to) cutMs = Math.round((from + to) / 2);
    }
    chunks.push({ startMs, endMs: cutMs });
    startMs = cutMs;
  }
  chunks.push({ startMs, endMs: durationMs });
  return chunks;
}

/** The span `startMs`–`endMs` of speech audio `file` as its own speech audio file `output`. */
export async function cutChunk(file: string, startMs: number, endMs: number, output: string, options: { signal?: AbortSignal } = {}): Promise<void> {
  // WAV input seeks to the exact sample; re-encoding PCM costs next to nothing.
  await runTool(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-y', '-ss', String(startMs / 1000), '-i', file, '-t', String((endMs - startMs) / 1000), '-map', '0:a:0', '-c:a', 'pcm_s16le', '-f', 'wav', output],
    { signal: options.signal, timeoutMs: convertTimeoutMs },
  );
}

/**
 * How long speech audio really is, from the size of its WAV `data` chunk: exact, unlike a
 * recording's header (an MP3 without a length header is only estimated from its first frames).
 */
export async function speechDurationMs(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    // RIFF chunks after the 12-byte header: a 4-byte id, a 4-byte little-endian size, the body (padded to even).
    for (let at = 12; at + 8 <= bytesRead; ) {
      const size = head.readUInt32LE(at + 4);
      if (head.toString('latin1', at, at + 4) === 'data') return Math.floor(size / (speechFormat.bytesPerSecond / 1000));
      at += 8 + size + (size % 2);
    }
    throw new Error(`${file} has no WAV data chunk`);
  } finally {
    await handle.close();
  }
}
