import { createOpenAI } from '@ai-sdk/openai';
import { APICallError } from '@ai-sdk/provider';
import type { TranscriptionModelV4 } from '@ai-sdk/provider';
import { transcribe } from 'ai';
import { throughLimiter } from '@/lib/ai/limiter';
import { retryAfterMs, sleep } from '@/lib/ai/retry';

const RATE_LIMIT_ATTEMPTS = 3;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;

export interface TranscriptSegment {
  startMs: number;
  endMs: number;
  text: string;
}

export interface Transcript {
  language: string | null;
  durationMs: number | null;
  segments: TranscriptSegment[];
}

// What OpenAI charges per minute of audio; models elsewhere (a server of your own) cost nothing here.
const usdPerMinute: Record<string, number> = {
  'openai:whisper-1': 0.006,
  'openai:gpt-4o-transcribe': 0.006,
  'openai:gpt-4o-mini-transcribe': 0.003,
};

/** The price of transcribing `durationMs` with the model `id`; `TRANSCRIPTION_USD_PER_MINUTE` overrides the list. */
export function transcriptionCostUsd(id: string, durationMs: number): number {
  const override = Number(process.env.TRANSCRIPTION_USD_PER_MINUTE);
  const rate = process.env.TRANSCRIPTION_USD_PER_MINUTE && Number.isFinite(override) ? override : (usdPerMinute[id] ?? 0);
  return (rate * durationMs) / 60_000;
}

/**
 * `TRANSCRIPTION_MODEL=openai:whisper-1` or `compatible:<name>` (e.g. a faster-whisper server at
 * OPENAI_COMPATIBLE_BASE_URL). Both speak OpenAI's /audio/transcriptions, and openai-compatible has
 * no transcription model, so both use the openai provider. Read at call time, like providers.ts.
 */
export function transcriptionModel(): { id: string; model: TranscriptionModelV4 } | null {
  const id = process.env.TRANSCRIPTION_MODEL?.trim();
  if (!id) return null;
  const [provider, name] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  if (provider === 'openai' && name) {
    return { id, model: createOpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL || undefined }).transcription(name) };
  }
  if (provider === 'compatible' && name) {
    const baseURL = process.env.OPENAI_COMPATIBLE_BASE_URL;
    if (!baseURL) {
      console.error(`TRANSCRIPTION_MODEL=${id} needs OPENAI_COMPATIBLE_BASE_URL: transcription is off`);
      return null;
    }
    // Local servers often take no key, but the openai provider insists on one.
    return { id, model: createOpenAI({ apiKey: process.env.OPENAI_COMPATIBLE_API_KEY || 'unused', baseURL }).transcription(name) };
  }
  // Said in the log, where the administrator looks; to everyone else transcription is simply not set up.
  console.error(`TRANSCRIPTION_MODEL must be openai:<model> or compatible:<model>, not "${id}": transcription is off`);
  return null;
}

/**
 * Segments with start/end times; throws when no model is configured (check transcriptionModel()
 * first to tell the person) and with the provider's APICallError otherwise, as chat does.
 * Only 429s are retried: the SDK's own retries would also repeat 5xx and hide the status in a RetryError.
 */
export async function transcribeAudio(
  audio: Uint8Array,
  { mediaType, durationMs: audioMs, signal }: { mediaType: string; durationMs: number; signal?: AbortSignal },
): Promise<Transcript> {
  const chosen = transcriptionModel();
  if (!chosen) throw new Error('No transcription model is configured (TRANSCRIPTION_MODEL)');
  const provider = chosen.id.slice(0, chosen.id.indexOf(':'));
  const textOnly = provider === 'openai' && chosen.id !== 'openai:whisper-1';
  const call = (callSignal: AbortSignal) =>
    transcribe({
      model: chosen.model,
      // transcribe() sniffs the type of raw bytes; a URL read by our own download keeps the caller's type.
      audio: new URL('glimpse:audio'),
      download: async () => ({ data: audio, mediaType }),
      timestampGranularities: ['segment'],
      // Segment times only come back in verbose_json, which the SDK asks for by default only for
      // whisper-1; a Whisper server of your own needs asking. OpenAI's gpt-4o-transcribe models
      // refuse it: they answer with text alone.
      providerOptions: textOnly ? undefined : { openai: { responseFormat: 'verbose_json' } },
      maxRetries: 0,
      abortSignal: callSignal,
    });

  for (let tryNo = 1; ; tryNo++) {
    try {
      const result = await throughLimiter(provider, call, signal);
      const durationMs = result.durationInSeconds === undefined ? null : Math.round(result.durationInSeconds * 1000);
      const segments = result.segments.map((s) => ({ startMs: Math.round(s.startSecond * 1000), endMs: Math.round(s.endSecond * 1000), text: s.text.trim() }));
      // Text without times (gpt-4o-transcribe, some servers) becomes one segment over the whole audio sent.
      if (segments.length === 0 && result.text.trim()) segments.push({ startMs: 0, endMs: durationMs ?? audioMs, text: result.text.trim() });
      return { language: result.language ?? null, durationMs, segments };
    } catch (error) {
      if (signal?.aborted) throw error;
      if (!APICallError.isInstance(error) || error.statusCode !== 429 || tryNo >= RATE_LIMIT_ATTEMPTS) throw error;
      const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (tryNo - 1));
      // A server asking for a long pause gets our longest one: the person is waiting.
      await sleep(Math.min(MAX_DELAY_MS, retryAfterMs(error) ?? backoff), signal);
    }
  }
}
