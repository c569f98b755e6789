import { readFile, rm } from 'node:fs/promises';
import PQueue from 'p-queue';
import { transcribeAudio, transcriptionCostUsd, transcriptionModel, type Transcript } from '@/lib/ai/transcription';
import { findCachedAnswer, forgetCachedAnswers, storeCachedAnswer } from '@/lib/db/cache';
import { findTranscript, saveTranscript } from '@/lib/db/transcripts';
import { chunkLimitMs, cutChunk, findSilences, openAiMaxUploadBytes, planChunks, speechDurationMs, speechFormat, toSpeechAudio, type Chunk } from '@/lib/media/audio/speech';
import { checkDuration } from '@/lib/media/probe-common';
import { stitchTranscripts } from '@/lib/media/audio/stitch';
import { sha256, sha256OfFile } from '@/lib/media/hash';
import { newTempFile } from '@/lib/storage/temp';
import type { CallCounter } from '@/lib/jobs/attempt';

/** The largest file the transcription server takes; OpenAI's 25 MB unless `TRANSCRIPTION_MAX_UPLOAD_BYTES` says otherwise. */
function maxUploadBytes(): number {
  const value = Number(process.env.TRANSCRIPTION_MAX_UPLOAD_BYTES);
  return Number.isFinite(value) && value > speechFormat.headerBytes + speechFormat.bytesPerSecond ? value : openAiMaxUploadBytes;
}

// Chunks sent at once per recording; the shared limiter bounds all of them together.
const CHUNKS_IN_FLIGHT = 3;
// What silencedetect counts as a pause worth cutting at.
const PAUSE = { noiseDb: -35, minSeconds: 0.3 };

/**
 * What was said in the sound of `input` (a recording or a video): converted to 16 kHz mono, found
 * by that audio's hash if this model heard it before, else sent in chunks under the server's upload
 * limit (cut at pauses) and stitched back with each chunk's offset. Each chunk's answer is cached
 * until the transcript is saved, so an attempt resumed after a crash sends only the chunks it had
 * not finished.
 */
export async function transcribeSound(
  input: string,
  options: { limits: { maxDurationMs: number }; signal: AbortSignal; calls: CallCounter; onProgress: (share: number) => void },
) {
  const chosen = transcriptionModel();
  if (!chosen) throw new Error('No transcription model is configured (TRANSCRIPTION_MODEL)');
  const speech = await newTempFile('speech', '.wav');
  try {
    await toSpeechAudio(input, speech, { signal: options.signal });
    options.onProgress(0.05);
    // Measured from the decoded sound, not the file's header, which can understate it (a VBR MP3
    // without a length header): the limit holds and no speech past the header's length is skipped.
    const durationMs = await speechDurationMs(speech);
    checkDuration(durationMs, { minDurationMs: 0, maxDurationMs: options.limits.maxDurationMs }, { length: 'Its sound' });
    const audioSha256 = await sha256OfFile(speech);
    const known = await findTranscript(audioSha256, chosen.id);
    if (known) return known;

    const maxChunkMs = chunkLimitMs(maxUploadBytes());
    const chunks =
      durationMs <= maxChunkMs
        ? [{ startMs: 0, endMs: durationMs }]
        : planChunks(durationMs, await findSilences(speech, { ...PAUSE, signal: options.signal }), { maxChunkMs });
    let done = 0;
    // Progress is also how a cancel is noticed (see progressReporter): it is reported while a call
    // is out too, or a cancel would wait for a long chunk's answer.
    const ticker = setInterval(() => options.onProgress(0.05 + 0.95 * (done / chunks.length)), 1000);
    const queue = new PQueue({ concurrency: CHUNKS_IN_FLIGHT });
    // After a failure no further chunk starts, but those already sent finish and are cached, so a
    // retry does not pay for them twice.
    let failure: { reason: unknown } | null = null;
    try {
      const results = await Promise.allSettled(
        chunks.map((chunk) =>
          queue.add(
            async () => {
              if (failure) throw failure.reason;
              try {
                const heard = await transcribeChunk(speech, chunk, chunks.length === 1, chosen.id, options);
                options.onProgress(0.05 + 0.95 * (++done / chunks.length));
                return heard;
              } catch (reason) {
                failure ??= { reason };
                throw reason;
              }
            },
            { throwOnTimeout: true },
          ),
        ),
      );
      if (failure) throw (failure as { reason: unknown }).reason;
      // Aborted while the last answers came in: this attempt stores nothing more.
      options.signal.throwIfAborted();
      const heard = results.map((r) => (r as PromiseFulfilledResult<ChunkHeard>).value);
      const transcript = await saveTranscript({
        audioSha256,
        modelId: chosen.id,
        language: heard.find((chunk) => chunk.transcript.language)?.transcript.language ?? null,
        durationMs,
        segments: stitchTranscripts(heard.map(({ chunk, transcript }) => ({ startMs: chunk.startMs, segments: withinChunk(transcript.segments, chunk) }))),
      });
      // The transcript answers for this sound from now on; what each chunk said need not be kept.
      await forgetCachedAnswers(heard.map((h) => h.cacheKey));
      return transcript;
    } finally {
      clearInterval(ticker);
    }
  } finally {
    await rm(speech, { force: true });
  }
}

interface ChunkHeard {
  chunk: Chunk;
  transcript: Transcript;
  cacheKey: string;
}

/** A segment a server timed past the end of its chunk would overlap the next chunk's first. */
function withinChunk(segments: Transcript['segments'], chunk: Chunk) {
  const lengthMs = chunk.endMs - chunk.startMs;
  return segments.map((segment) => ({ ...segment, startMs: Math.min(segment.startMs, lengthMs), endMs: Math.min(segment.endMs, lengthMs) }));
}

async function transcribeChunk(
  speech: string,
  chunk: Chunk,
  whole: boolean,
  modelId: string,
  { signal, calls }: { signal: AbortSignal; calls: CallCounter },
): Promise<ChunkHeard> {
  const file = whole ? speech : await newTempFile('chunk', '.wav');
  try {
    if (!whole) await cutChunk(speech, chunk.startMs, chunk.endMs, file, { signal });
    const audio = await readFile(file);
    // The answer is stored as JSON in the answer cache: same model and same samples, same words.
    const key = sha256(Buffer.from(JSON.stringify({ transcription: modelId, audio: sha256(audio) })));
    const cached = await findCachedAnswer(key);
    if (cached) {
      calls.count({ live: false, costUsd: 0 });
      return { chunk, transcript: JSON.parse(cached.text) as Transcript, cacheKey: key };
    }
    const transcript = await transcribeAudio(audio, { mediaType: speechFormat.mimeType, durationMs: chunk.endMs - chunk.startMs, signal });
    const costUsd = transcriptionCostUsd(modelId, chunk.endMs - chunk.startMs);
    calls.count({ live: true, costUsd });
    await storeCachedAnswer({ key, sourceConversationId: null, modelId, text: JSON.stringify(transcript), inputTokens: null, outputTokens: null, costUsd });
    return { chunk, transcript, cacheKey: key };
  } finally {
    if (!whole) await rm(file, { force: true });
  }
}
