import { APICallError } from '@ai-sdk/provider';
import { throughLimiter } from '@/lib/ai/limiter';
import { providerMessage } from '@/lib/ai/provider-errors';
import { retryAfterMs, sleep } from '@/lib/ai/retry';
import { readTranscriptionAnswer } from '@/lib/ai/transcript-response';

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

interface TranscriptionEndpoint {
  id: string;
  /** The model name the server knows. */
  name: string;
  url: string;
  apiKey: string | undefined;
}

/**
 * `TRANSCRIPTION_MODEL=openai:whisper-1` or `compatible:<name>` (e.g. a faster-whisper server at
 * OPENAI_COMPATIBLE_BASE_URL). Both speak OpenAI's /audio/transcriptions. Read at call time, like providers.ts.
 */
function transcriptionEndpoint(): TranscriptionEndpoint | null {
  const id = process.env.TRANSCRIPTION_MODEL?.trim();
  if (!id) return null;
  const [provider, name] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  const base = (url: string) => `${url.replace(/\/+$/, '')}/audio/transcriptions`;
  if (provider === 'openai' && name) return { id, name, url: base(process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1'), apiKey: process.env.OPENAI_API_KEY };
  if (provider === 'compatible' && name) {
    const baseURL = process.env.OPENAI_COMPATIBLE_BASE_URL;
    if (!baseURL) {
      console.error(`TRANSCRIPTION_MODEL=${id} needs OPENAI_COMPATIBLE_BASE_URL: transcription is off`);
      return null;
    }
    return { id, name, url: base(baseURL), apiKey: process.env.OPENAI_COMPATIBLE_API_KEY || undefined };
  }
  // Said in the log, where the administrator looks; to everyone else transcription is simply not set up.
  console.error(`TRANSCRIPTION_MODEL must be openai:<model> or compatible:<model>, not "${id}": transcription is off`);
  return null;
}

/** The configured transcription model, or null when transcription is off. */
export function transcriptionModel(): { id: string } | null {
  const endpoint = transcriptionEndpoint();
  return endpoint ? { id: endpoint.id } : null;
}

type AnswerFormat = 'verbose_json' | 'json' | 'text' | 'srt' | 'vtt';
const ASKABLE: AnswerFormat[] = ['verbose_json', 'srt', 'vtt', 'json', 'text'];

/**
 * What to ask for first: segment times come only in verbose_json, SRT or VTT. OpenAI's
 * gpt-4o-transcribe models answer with text alone; `TRANSCRIPTION_FORMAT` picks another for a
 * server that times better in one of them.
 */
function firstFormat(endpoint: TranscriptionEndpoint): AnswerFormat {
  const wanted = process.env.TRANSCRIPTION_FORMAT?.trim() as AnswerFormat | undefined;
  if (wanted && ASKABLE.includes(wanted)) return wanted;
  return endpoint.id.startsWith('openai:') && endpoint.name !== 'whisper-1' ? 'json' : 'verbose_json';
}

// A server refusing a format is asked in the next one; what it took is remembered per model.
const FORMAT_FALLBACK: Partial<Record<AnswerFormat, AnswerFormat>> = { verbose_json: 'srt', srt: 'json', vtt: 'json', json: 'text' };
const acceptedFormat = new Map<string, AnswerFormat>();

/** A 400/422 about the answer format asked for, not about the audio. */
function refusesFormat(error: APICallError): boolean {
  if (error.statusCode !== 400 && error.statusCode !== 422) return false;
  const words = providerMessage(error.responseBody);
  return /response_format|verbose_json/i.test(words) || (/\bformat\b/i.test(words) && !/file|audio|codec/i.test(words));
}

const EXTENSIONS: Record<string, string> = { 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'audio/webm': 'webm', 'audio/ogg': 'ogg', 'audio/flac': 'flac' };

async function post(endpoint: TranscriptionEndpoint, audio: Uint8Array, mediaType: string, format: AnswerFormat, signal: AbortSignal): Promise<string> {
  const form = new FormData();
  // Servers decode by the file name's extension as often as by content (whisper.cpp, LocalAI).
  form.append('file', new Blob([new Uint8Array(audio)], { type: mediaType }), `audio.${EXTENSIONS[mediaType] ?? 'wav'}`);
  form.append('model', endpoint.name);
  form.append('response_format', format);
  if (format === 'verbose_json') form.append('timestamp_granularities[]', 'segment');
  const requestBodyValues = { model: endpoint.name, response_format: format };
  let res: Response;
  try {
    res = await fetch(endpoint.url, { method: 'POST', body: form, signal, headers: endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {} });
  } catch (cause) {
    if (signal.aborted) throw cause;
    throw new APICallError({ message: `Cannot connect to ${endpoint.url}`, url: endpoint.url, requestBodyValues, cause, isRetryable: true });
  }
  const body = await res.text();
  const responseHeaders = Object.fromEntries(res.headers);
  if (!res.ok) {
    throw new APICallError({ message: providerMessage(body) || res.statusText, url: endpoint.url, requestBodyValues, statusCode: res.status, responseHeaders, responseBody: body, isRetryable: res.status === 429 || res.status >= 500 });
  }
  return body;
}

/**
 * Segments with start/end times, from whatever the server answers (see transcript-response.ts);
 * throws when no model is configured (check transcriptionModel() first to tell the person) and with
 * an APICallError otherwise, as chat does (an unreadable answer is one with its 200 status).
 * Only 429s are retried here; other transient failures are the job's to retry.
 */
export async function transcribeAudio(
  audio: Uint8Array,
  { mediaType, durationMs: audioMs, signal }: { mediaType: string; durationMs: number; signal?: AbortSignal },
): Promise<Transcript> {
  const endpoint = transcriptionEndpoint();
  if (!endpoint) throw new Error('No transcription model is configured (TRANSCRIPTION_MODEL)');
  const provider = endpoint.id.slice(0, endpoint.id.indexOf(':'));
  let format = acceptedFormat.get(endpoint.id) ?? firstFormat(endpoint);

  for (let tryNo = 1; ; ) {
    try {
      const body = await throughLimiter(provider, (callSignal) => post(endpoint, audio, mediaType, format, callSignal), signal);
      acceptedFormat.set(endpoint.id, format);
      try {
        return readTranscriptionAnswer(body, audioMs);
      } catch (cause) {
        throw new APICallError({ message: (cause as Error).message, url: endpoint.url, requestBodyValues: { model: endpoint.name, response_format: format }, statusCode: 200, responseBody: body.slice(0, 2000), isRetryable: false });
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      if (!APICallError.isInstance(error)) throw error;
      const next = FORMAT_FALLBACK[format];
      if (next && refusesFormat(error)) {
        format = next;
        continue;
      }
      if (error.statusCode !== 429 || tryNo >= RATE_LIMIT_ATTEMPTS) throw error;
      const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (tryNo - 1));
      tryNo++;
      // A server asking for a long pause gets our longest one: the person is waiting.
      await sleep(Math.min(MAX_DELAY_MS, retryAfterMs(error) ?? backoff), signal);
    }
  }
}

/** Forgets which answer format each model took (tests start each case fresh). */
export function forgetTranscriptionFormats(): void {
  acceptedFormat.clear();
}
