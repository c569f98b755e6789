import { generateText, Output, streamText } from 'ai';
import { z } from 'zod';
import type { ModelSpec } from '@/lib/ai/catalog';
import { classifyProviderError } from '@/lib/ai/provider-errors';
import { findModel } from '@/lib/ai/registry';
import { languageModel } from '@/lib/ai/providers';
import { structuredModeOf } from '@/lib/ai/structured-output';
import { transcribeAudio, transcriptionModel } from '@/lib/ai/transcription';
import { colourSquare } from '@/lib/media/image';

/**
 * "Test connection": one tiny question to a configured model, reporting what works — so an
 * administrator learns that a server streams, reports usage, takes schemas or transcribes with
 * times before a person finds out the hard way. Calls go to the model alone (no fallback, no
 * cache, no retries): the point is to see this server as it is.
 */
export type CheckName = 'reachable' | 'vision' | 'streaming' | 'usage' | 'thinking' | 'structured' | 'segments';

export interface Check {
  name: CheckName;
  /** null: not applicable (a model that does not think); false: does not work, `detail` says why. */
  ok: boolean | null;
  detail: string;
}

export interface ConnectionReport {
  modelId: string;
  ok: boolean;
  latencyMs: number;
  checks: Check[];
}

const TIMEOUT_MS = 60_000;

function failed(error: unknown): string {
  return classifyProviderError(error)?.message ?? (error instanceof Error ? error.message : String(error));
}

/** A red square and "what colour is it?", streamed; then the same as structured output. */
export async function testVisionModel(spec: ModelSpec): Promise<ConnectionReport> {
  const started = Date.now();
  const checks: Check[] = [];
  const model = languageModel(spec);
  const image = await colourSquare({ r: 220, g: 20, b: 20 });
  const messages = [{ role: 'user' as const, content: [{ type: 'file' as const, data: image, mediaType: 'image/png' }, { type: 'text' as const, text: 'What colour is this image? Answer in one short sentence.' }] }];

  let text = '';
  let reasoning = '';
  let deltas = 0;
  let streamError: unknown = null;
  let usage: { inputTokens?: number; outputTokens?: number } = {};
  const result = streamText({ model, messages, maxRetries: 0, maxOutputTokens: 512, abortSignal: AbortSignal.timeout(TIMEOUT_MS), onError: () => {} });
  for await (const part of result.stream) {
    if (part.type === 'text-delta') {
      text += part.text;
      deltas++;
    } else if (part.type === 'reasoning-delta') reasoning += part.text;
    else if (part.type === 'error') streamError = part.error;
    else if (part.type === 'finish') usage = part.totalUsage;
  }
  if (streamError) {
    checks.push({ name: 'reachable', ok: false, detail: failed(streamError) });
    return { modelId: spec.id, ok: false, latencyMs: Date.now() - started, checks };
  }
  checks.push({ name: 'reachable', ok: true, detail: `Answered in ${((Date.now() - started) / 1000).toFixed(1)} s.` });
  const answer = text.trim().slice(0, 80);
  checks.push(
    /\bred\b/i.test(text)
      ? { name: 'vision', ok: true, detail: `Saw the red test image (“${answer}”).` }
      : { name: 'vision', ok: false, detail: `Answered “${answer}” about a red image: the server may not pass images to this model, or it cannot see.` },
  );
  checks.push(
    deltas > 1
      ? { name: 'streaming', ok: true, detail: `Streamed the answer in ${deltas} pieces.` }
      : { name: 'streaming', ok: false, detail: 'Sent the whole answer in one piece: answers appear only once complete.' },
  );
  checks.push(
    usage.inputTokens !== undefined
      ? { name: 'usage', ok: true, detail: `Reports usage (${usage.inputTokens} in, ${usage.outputTokens ?? 0} out).` }
      : { name: 'usage', ok: false, detail: 'Reports no token usage: answers show “price unknown” and quotas count no tokens.' },
  );
  checks.push(
    reasoning
      ? { name: 'thinking', ok: true, detail: 'A thinking model: its reasoning is kept apart from the answer (shown folded).' }
      : { name: 'thinking', ok: null, detail: 'Sent no reasoning (not a thinking model, or thinking is off).' },
  );

  try {
    const { output } = await generateText({
      model,
      messages: [{ role: 'user', content: [...messages[0].content.slice(0, 1), { type: 'text', text: 'Name the colour of this image.' }] }],
      output: Output.object({ schema: z.object({ colour: z.string() }) }),
      maxRetries: 0,
      maxOutputTokens: 512,
      abortSignal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const how = { json_schema: 'enforces the JSON schema (response_format json_schema)', json_object: 'takes json_object only: the schema goes in the prompt', prompt: 'takes no response_format: the schema goes in the prompt' }[structuredModeOf(spec.id)];
    checks.push({ name: 'structured', ok: true, detail: `Answered ${JSON.stringify(output)}; ${how}.` });
  } catch (error) {
    checks.push({ name: 'structured', ok: false, detail: `Structured output failed: ${failed(error)}` });
  }
  return { modelId: spec.id, ok: checks.every((c) => c.ok !== false), latencyMs: Date.now() - started, checks };
}

/** One second of a 440 Hz tone, 16 kHz mono WAV, made here (no ffmpeg needed for a test). */
export function testTone(): Uint8Array {
  const rate = 16_000;
  const samples = rate;
  const bytes = Buffer.alloc(44 + samples * 2);
  bytes.write('RIFF', 0);
  bytes.writeUInt32LE(36 + samples * 2, 4);
  bytes.write('WAVEfmt ', 8);
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(1, 22);
  bytes.writeUInt32LE(rate, 24);
  bytes.writeUInt32LE(rate * 2, 28);
  bytes.writeUInt16LE(2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36);
  bytes.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) bytes.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 16_000), 44 + 2 * i);
  return new Uint8Array(bytes);
}

/** A one-second clip to the transcription model: does it answer, and with timed segments? */
export async function testTranscriptionModel(): Promise<ConnectionReport | null> {
  const chosen = transcriptionModel();
  if (!chosen) return null;
  const started = Date.now();
  try {
    const transcript = await transcribeAudio(testTone(), { mediaType: 'audio/wav', durationMs: 1000, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const timed = transcript.segments.some((s) => s.endMs > s.startMs);
    const checks: Check[] = [
      { name: 'reachable', ok: true, detail: `Answered in ${((Date.now() - started) / 1000).toFixed(1)} s.` },
      transcript.segments.length === 0
        ? { name: 'segments', ok: null, detail: 'Heard no words in a test tone (as expected of a real model); the answer was read.' }
        : { name: 'segments', ok: timed, detail: timed ? `Answered ${transcript.segments.length} timed segment(s).` : 'Answered text without times: a recording becomes one segment per chunk.' },
    ];
    return { modelId: chosen.id, ok: true, latencyMs: Date.now() - started, checks };
  } catch (error) {
    return { modelId: chosen.id, ok: false, latencyMs: Date.now() - started, checks: [{ name: 'reachable', ok: false, detail: failed(error) }] };
  }
}

/** The test for `modelId`: a vision model's, or the transcription model's; null for a model not configured. */
export async function testConnection(modelId: string): Promise<ConnectionReport | null> {
  const vision = await findModel(modelId);
  if (vision) return testVisionModel(vision);
  return transcriptionModel()?.id === modelId ? testTranscriptionModel() : null;
}
