/**
 * speaches (formerly faster-whisper-server). Answers are openai-python's own types dumped with
 * model_dump_json, so unset optional fields come as null; faster-whisper numbers segments from 1
 * and keeps their leading space; errors are FastAPI's {"detail": ...}.
 */
import { clock, fastApiError, PROXY_SOURCE, proxyPage } from './shared';
import type { Dialect, HeardAudio } from './types';

const REPO = 'speaches-ai/speaches';

const joined = (heard: HeardAudio) => heard.segments.map((s) => ` ${s.text}`).join('').trim();

export const speaches: Dialect = {
  id: 'speaches',
  label: 'speaches (faster-whisper-server)',
  sources: {
    transcription: `${REPO}:src/speaches/executors/whisper.py (segments_to_transcription_response: text/plain text, Transcription, TranscriptionVerbose with id/seek/start/end/text/tokens/temperature/avg_logprob/compression_ratio/no_speech_prob, words null without word timestamps, srt served as text/plain, vtt as text/vtt)`,
    subtitles: `${REPO}:src/speaches/text_utils.py (format_as_vtt forces the first cue to start at 0, format_as_srt)`,
    language: `${REPO}:src/speaches/executors/whisper.py (transcription_info.language: faster-whisper's code, "en")`,
    segmentIds: 'SYSTRAN/faster-whisper transcribe.py numbers segments from 1',
    errors: `${REPO}:src/speaches/routers/utils.py (404 "Model '…' is not installed locally…"), dependencies.py (403 with WWW-Authenticate for a wrong key), FastAPI's 422 for a response_format outside the Literal; no context limit for audio`,
    proxyErrors: `${PROXY_SOURCE}: no rate limit, body limit or overload status of its own (429/413/503)`,
    models: `${REPO}:src/speaches/routers/models.py (GET /v1/models lists installed models, owned_by the Hugging Face org)`,
  },
  chat: null,
  transcription: {
    answer(format, heard) {
      if (format === 'text') return { contentType: 'text/plain; charset=utf-8', body: joined(heard) };
      if (format === 'json') return { contentType: 'application/json', body: JSON.stringify({ text: joined(heard), logprobs: null, usage: null }) };
      if (format === 'srt')
        return { contentType: 'text/plain; charset=utf-8', body: heard.segments.map((s, i) => `${i + 1}\n${clock(s.start, ',')} --> ${clock(s.end, ',')}\n ${s.text}\n\n`).join('') };
      if (format === 'vtt')
        return {
          contentType: 'text/vtt; charset=utf-8',
          body: `WEBVTT\n\n${heard.segments.map((s, i) => `${clock(i === 0 ? 0 : s.start, '.')} --> ${clock(s.end, '.')}\n ${s.text}\n\n`).join('')}`,
        };
      const segments = heard.segments.map((s, i) => ({
        id: i + 1,
        avg_logprob: -0.25,
        compression_ratio: 0.8,
        end: s.end,
        no_speech_prob: 0.01,
        seek: 0,
        start: s.start,
        temperature: 0,
        text: ` ${s.text}`,
        tokens: [50364, 12693],
      }));
      return { contentType: 'application/json', body: JSON.stringify({ duration: heard.duration, language: heard.language, text: joined(heard), segments, usage: null, words: null }) };
    },
  },
  errors: {
    rateLimited: proxyPage(429, 'Too Many Requests', { 'Retry-After': '1' }),
    rateLimitedBare: proxyPage(429, 'Too Many Requests'),
    contextLength: null,
    payloadTooLarge: proxyPage(413, 'Request Entity Too Large'),
    unauthorized: fastApiError(403, 'Invalid API key. The provided API key is incorrect.', { 'www-authenticate': 'Bearer' }),
    modelNotFound: fastApiError(404, "Model '{model}' is not installed locally. You can download the model using `POST /v1/models`"),
    serverError: fastApiError(500, 'Failed to decode audio.'),
    unavailable: proxyPage(503, 'Service Temporarily Unavailable'),
    badResponseFormat: {
      status: 422,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ detail: [{ type: 'literal_error', loc: ['body', 'response_format'], msg: "Input should be 'text', 'json', 'verbose_json', 'srt' or 'vtt'", input: 'diarized_json' }] }),
    },
  },
  models: (ids) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'Systran' })) }),
};
