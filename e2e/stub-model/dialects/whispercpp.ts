/**
 * whisper.cpp's whisper-server (run with `--inference-path /v1/audio/transcriptions`). It never
 * reads the model field, keeps Whisper's leading space on each segment, names the language in full
 * ("english"), and sorts JSON keys (nlohmann::json).
 */
import { clock, jsonError, PROXY_SOURCE, proxyPage } from './shared';
import type { Dialect, HeardAudio } from './types';

const REPO = 'ggml-org/whisper.cpp';
const LANGUAGES: Record<string, string> = { en: 'english', de: 'german', fr: 'french' };

/** Whisper counts time in centiseconds; the server multiplies by 0.01. */
const centi = (seconds: number) => Math.round(seconds * 100) * 0.01;
/** output_str: each segment's text (leading space kept) on its own line. */
const lines = (heard: HeardAudio) => heard.segments.map((s) => ` ${s.text}\n`).join('');

export const whispercpp: Dialect = {
  id: 'whispercpp',
  label: 'whisper.cpp (whisper-server)',
  sources: {
    transcription: `${REPO}:examples/server/server.cpp (text as text/html, srt as application/x-subrip, vtt as text/vtt, verbose_json with detected_language and language_probabilities, segments id/text/start/end (t0 × 0.01)/tokens/words/temperature/avg_logprob/no_speech_prob; any other format answers json) and examples/common-whisper.cpp (to_timestamp)`,
    language: `${REPO}:examples/server/server.cpp (whisper_lang_str_full: "english", not "en")`,
    errors: `${REPO}:examples/server/server.cpp ({"error":"failed to process audio"} 500, {"error":"no 'file' field in the request"} 400; the model field is never read, so no unknown-model error; no context limit for audio)`,
    proxyErrors: `${PROXY_SOURCE}: no keys, rate limit, body limit or overload status of its own (401/429/413/503)`,
    models: `${REPO}:examples/server/server.cpp has no /v1/models; the stub answers OpenAI's list so a probe finds something`,
  },
  chat: null,
  transcription: {
    answer(format, heard) {
      if (format === 'text') return { contentType: 'text/html; charset=utf-8', body: lines(heard) };
      if (format === 'srt')
        return { contentType: 'application/x-subrip', body: heard.segments.map((s, i) => `${i + 1}\n${clock(s.start, ',')} --> ${clock(s.end, ',')}\n ${s.text}\n\n`).join('') };
      if (format === 'vtt') return { contentType: 'text/vtt', body: `WEBVTT\n\n${heard.segments.map((s) => `${clock(s.start, '.')} --> ${clock(s.end, '.')}\n ${s.text}\n\n`).join('')}` };
      if (format === 'json') return { contentType: 'application/json', body: JSON.stringify({ text: lines(heard) }) };
      const language = LANGUAGES[heard.language] ?? heard.language;
      const segments = heard.segments.map((s, id) => ({
        avg_logprob: -0.2,
        end: centi(s.end),
        id,
        no_speech_prob: 0.01,
        start: centi(s.start),
        temperature: 0,
        text: ` ${s.text}`,
        tokens: [50364, 12693],
        words: [{ probability: 0.9, word: ` ${s.text}` }],
      }));
      return {
        contentType: 'application/json',
        body: JSON.stringify({
          detected_language: language,
          detected_language_probability: 0.97,
          duration: heard.duration,
          language,
          language_probabilities: { [heard.language]: 0.97 },
          segments,
          task: 'transcribe',
          text: lines(heard),
        }),
      };
    },
  },
  errors: {
    rateLimited: proxyPage(429, 'Too Many Requests', { 'Retry-After': '1' }),
    rateLimitedBare: proxyPage(429, 'Too Many Requests'),
    contextLength: null,
    payloadTooLarge: proxyPage(413, 'Request Entity Too Large'),
    unauthorized: proxyPage(401, 'Authorization Required'),
    modelNotFound: null,
    serverError: jsonError(500, { error: 'failed to process audio' }),
    unavailable: proxyPage(503, 'Service Temporarily Unavailable'),
    badResponseFormat: null,
  },
  models: (ids) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'whisper.cpp' })) }),
};
