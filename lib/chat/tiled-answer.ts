import type { ModelMessage } from 'ai';
import { imageBudgetFor, imageTokensFor } from '@/lib/ai/budget';
import {
  answerStream,
  cachedChunks,
  INSTRUCTIONS,
  runAnswer,
  startMeta,
  streamAnswer,
  type Answer,
  type AnswerRequest,
  type Chunk,
  type Spent,
} from '@/lib/chat/answer';
import { answerCacheKey, PREPROCESSING_VERSION } from '@/lib/chat/cache-key';
import { cacheTurns, toModelMessages } from '@/lib/chat/conversation-input';
import { describeAnswerError } from '@/lib/chat/model-errors';
import type { MessageMeta } from '@/lib/chat/types';
import type { Media } from '@/lib/generated/prisma/client';
import { cachedModelCall, type CallResult } from '@/lib/jobs/video/model-call';
import { prepareForModel } from '@/lib/media/image';
import { planTiles, type Tile, type TilePlan } from '@/lib/media/tile-plan';
import { cutTiles } from '@/lib/media/tiles';
import type { ImageBudget } from '@/lib/media/types';
import { imagePart, originalOf } from '@/lib/chat/model-images';

/** Bump when the tile prompt or the notes change: tile notes and answers cached before are not reused. */
export const TILES_VERSION = 1;
/** Tile calls of one answer in flight at once; the provider's shared limiter paces everyone's on top. */
export const TILE_CALLS_AT_ONCE = 4;
/** What a model writes about one tile, for the tokens-per-minute estimate. */
const EXPECTED_NOTE_TOKENS = 300;

export interface TiledAnswerRequest extends AnswerRequest {
  /** The question's images to read in tiles (its `data-tiles` part). */
  tiled: string[];
}

interface TiledImage {
  media: Media;
  plan: TilePlan;
  /** Its place among the question's images, from 1. */
  position: number;
}

/** One tile to read: `number` counts across every tiled image of the question, from 1. */
interface TileCall {
  image: TiledImage;
  tile: Tile;
  number: number;
}

/**
 * An answer that first reads the question's tiled images part by part at full resolution (one
 * cached call per tile, a few at once, progress shown as they finish), then streams the answer
 * from the whole conversation as usual plus the notes on every part. Stored and cached like any
 * answer (lib/chat/answer.ts); a tile that cannot be read fails the answer, which then claims nothing.
 */
export async function tiledAnswerStream(req: TiledAnswerRequest): Promise<Answer> {
  const budget = imageBudgetFor(req.model, req.detail);
  const question = req.turns.at(-1);
  const images: TiledImage[] =
    question?.role === 'user'
      ? question.media.flatMap((media, i) => {
          const plan = req.tiled.includes(media.id) ? planTiles(media, budget) : null;
          return plan ? [{ media, plan, position: i + 1 }] : [];
        })
      : [];
  // Regenerated with another model or detail, an image may no longer gain from tiles: it goes whole.
  if (images.length === 0) return answerStream(req);

  const startedAt = Date.now();
  // The tiling is part of the question: the same question asked without it is another answer.
  const tiling = images.map(({ media, plan }) => `tiles:v${TILES_VERSION}:${media.sha256}:${plan.columns}x${plan.rows}`);
  const turns = cacheTurns(req.turns).map((turn, i, all) => (i === all.length - 1 ? { ...turn, imageHashes: [...turn.imageHashes, ...tiling] } : turn));
  const cacheKey = answerCacheKey({ modelId: req.model.id, instructions: INSTRUCTIONS, budget, turns });
  return runAnswer(req, {
    startedAt,
    cacheKey,
    replay: (entry, writer) => cachedChunks(req, writer, entry),
    live: async () => liveTiledAnswer(req, images, budget, startedAt),
  });
}

function liveTiledAnswer(req: TiledAnswerRequest, images: TiledImage[], budget: ImageBudget, startedAt: number): ReadableStream<Chunk> {
  const tileCalls: TileCall[] = images.flatMap((image) => image.plan.tiles.map((tile) => ({ image, tile }))).map((call, i) => ({ ...call, number: i + 1 }));
  const total = tileCalls.length;
  return new ReadableStream<Chunk>({
    async start(controller) {
      const send = (chunk: Chunk) => controller.enqueue(chunk);
      // cachedModelCall prices an unpriced model's calls at 0: an unknown price stays unknown here.
      const spent: Spent = { inputTokens: 0, outputTokens: 0, costUsd: req.model.price ? 0 : null };
      // Nothing to say (rather than "0 in · 0 out") when no part was read by a call of this answer.
      const spentMeta = (): MessageMeta => (spent.inputTokens + spent.outputTokens > 0 ? { ...spent } : {});
      let read = 0;
      const progress = () => send({ type: 'data-tile-progress', id: 'tiles', data: { read, total }, transient: true });

      send({ type: 'start', messageId: req.answerId, messageMetadata: startMeta(req) });
      progress();
      try {
        const notes = await readTiles(req, tileCalls, budget, (result) => {
          // A note from the cache costs nothing now: only calls made for this answer are counted.
          if (result.live) {
            spent.inputTokens += result.inputTokens ?? 0;
            spent.outputTokens += result.outputTokens ?? 0;
            if (spent.costUsd !== null) spent.costUsd += result.costUsd;
          }
          read++;
          progress();
        });
        // Recorded now, so the parts are paid for even if the answer after them fails or is stopped.
        send({ type: 'message-metadata', messageMetadata: spentMeta() });
        const messages = withNotes(await toModelMessages(req.turns, budget), Boolean(req.turns.at(-1)?.text), images, tileCalls, notes);
        await pipe(await streamAnswer(req, messages, startedAt, { spent, sendStart: false }), send);
      } catch (error) {
        // What the parts took is owed whatever happened.
        if (req.slot.signal.aborted) {
          send({ type: 'message-metadata', messageMetadata: spentMeta() });
          send({ type: 'abort' });
        } else {
          const errorText = error instanceof TileError ? error.message : describeAnswerError(error);
          send({ type: 'message-metadata', messageMetadata: { ...spentMeta(), status: 'error', error: errorText } });
          send({ type: 'error', errorText });
        }
      }
      controller.close();
    },
  });
}

async function pipe(stream: ReadableStream<Chunk>, send: (chunk: Chunk) => void) {
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) send(next.value);
}

/** A tile that could not be read, said in the person's words with which one it was. */
class TileError extends Error {}

/**
 * Every tile's note, in call order. The first failure stops the calls still to come and aborts
 * those in flight; it is reported once they have all settled, so nothing is sent after the error.
 */
async function readTiles(req: TiledAnswerRequest, calls: TileCall[], budget: ImageBudget, onRead: (result: CallResult) => void): Promise<string[]> {
  const failed = new AbortController();
  const signal = AbortSignal.any([req.slot.signal, failed.signal]);
  const question = req.turns.at(-1)?.text ?? '';
  const tilesOf = tileCutter();
  const notes: string[] = new Array(calls.length);
  let failure = null as TileError | null;
  let next = 0;

  async function worker() {
    while (next < calls.length && !signal.aborted) {
      const index = next++;
      const call = calls[index];
      try {
        const result = await readTile(req, call, calls.length, question, budget, tilesOf, signal);
        notes[index] = result.text.trim() || '(the model noted nothing)';
        onRead(result);
      } catch (error) {
        if (signal.aborted) return; // stopped, or another tile already failed
        failure = new TileError(`Reading part ${call.number} of ${calls.length} of "${call.image.media.filename}" failed, so there is no answer. ${describeAnswerError(error)}`);
        failed.abort();
      }
    }
  }

  await Promise.all(Array.from({ length: Math.min(TILE_CALLS_AT_ONCE, calls.length) }, worker));
  if (failure) throw failure;
  if (signal.aborted) throw signal.reason;
  return notes;
}

/** Cuts each image's tiles once, when its first tile missing from the cache needs them. */
function tileCutter(): (image: TiledImage) => Promise<Buffer[]> {
  const cut = new Map<string, Promise<Buffer[]>>();
  return (image) => {
    let tiles = cut.get(image.media.id);
    if (!tiles) {
      tiles = originalOf(image.media).then((original) => cutTiles(original, image.plan));
      cut.set(image.media.id, tiles);
    }
    return tiles;
  };
}

/**
 * One tile through the model, with the question: cached by what decides its pixels (the original's
 * content, the tile and the budget) and by the prompt, so the same question about the same image
 * reads no tile twice; through the provider's shared limiter otherwise.
 */
function readTile(
  req: TiledAnswerRequest,
  call: TileCall,
  total: number,
  question: string,
  budget: ImageBudget,
  tilesOf: (image: TiledImage) => Promise<Buffer[]>,
  signal: AbortSignal,
): Promise<CallResult> {
  const { image, tile } = call;
  const prompt = tilePrompt(call, total, question);
  const key = { kind: 'tile-notes', v: TILES_VERSION, preprocessing: PREPROCESSING_VERSION, image: image.media.sha256, tile, budget, prompt };
  const tokens = imageTokensFor(req.model, req.detail, tile.width, tile.height) + Math.ceil(prompt.length / 4) + EXPECTED_NOTE_TOKENS;
  return cachedModelCall(
    req.model,
    key,
    async (): Promise<ModelMessage[]> => {
      const bytes = (await tilesOf(image))[image.plan.tiles.indexOf(tile)];
      return [{ role: 'user', content: [imagePart(await prepareForModel(bytes, budget), budget), { type: 'text', text: prompt }] }];
    },
    signal,
    { tokens },
  );
}

const placeOf = (plan: TilePlan, tile: Tile) =>
  `row ${tile.row} of ${plan.rows}, column ${tile.column} of ${plan.columns}; pixels ${tile.left}–${tile.left + tile.width} across, ${tile.top}–${tile.top + tile.height} down`;

/** No file name: the same pixels uploaded under another name should find the same notes. */
function tilePrompt({ image, tile, number }: TileCall, total: number, question: string): string {
  const { plan } = image;
  return [
    `This is part ${number} of ${total} of a larger image (image ${image.position} of the question, ${plan.width} × ${plan.height} pixels), ` +
      `cut into overlapping parts so that it can be read at full resolution. This part is at ${placeOf(plan, tile)}.`,
    `The question about the whole image: ${question || 'Describe what it shows.'}`,
    'Note every detail in this part that is relevant to the question, quoting any text exactly as written. ' +
      'Parts overlap a little, so something cut off at this part’s edge is whole in a neighbouring part. ' +
      'If nothing in this part is relevant, answer "nothing relevant".',
  ].join('\n\n');
}

/** The notes go into the question, before its text, so the model reads them with the images they are about. */
function withNotes(messages: ModelMessage[], hasText: boolean, images: TiledImage[], calls: TileCall[], notes: string[]): ModelMessage[] {
  const sections = images.map((image) => {
    const ofImage = calls.flatMap((call, i) => (call.image === image ? [`[Part ${call.number}: ${placeOf(image.plan, call.tile)}]\n${notes[i]}`] : []));
    return (
      `Fine detail of image ${image.position} ("${image.media.filename}", ${image.plan.width} × ${image.plan.height}): the copy above is downscaled, ` +
      `so it was also read at full resolution in ${ofImage.length} overlapping parts. What each part shows that bears on the question:\n\n${ofImage.join('\n\n')}`
    );
  });
  const text = `${sections.join('\n\n')}\n\nAnswer from the image and these notes together; where they disagree about small text, trust the notes.`;
  const last = messages.at(-1);
  if (last?.role !== 'user' || typeof last.content === 'string') throw new Error('the question is not the last message');
  const content = [...last.content];
  // The question's own text, when it has one, is its last part (toModelMessages): it stays last.
  const questionAt = hasText ? content.length - 1 : content.length;
  content.splice(questionAt, 0, { type: 'text', text });
  return [...messages.slice(0, -1), { ...last, content }];
}
