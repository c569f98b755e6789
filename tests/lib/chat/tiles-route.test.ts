/**
 * POST /api/chat with `tiles` (fine detail), called as Next would call it (the session and `after`
 * are the only stand-ins), against the real database, blob storage and the stub model: which images
 * may be tiled, the stored question's marker, and regenerate reading the tiles again.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import { POST } from '@/app/api/chat/route';
import { mediaUrl } from '@/lib/chat/types';
import { db } from '@/lib/db/client';
import { ingestImage, type UploadedImage } from '@/lib/uploads/image';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { testPrisma } from '@/tests/support/db';
import { pointAtStub } from '@/tests/support/stub-env';
import { ensureTestUser } from '@/tests/support/users';

const userId = `tiles-route-${randomUUID()}`;
const stored: Promise<void>[] = [];

vi.mock('@/lib/auth/session', () => ({ requireCaller: async () => ({ id: userId, type: 'user' }) }));
vi.mock('next/server', async (importOriginal) => ({ ...(await importOriginal<object>()), after: (work: Promise<void>) => stored.push(work) }));

let stub: StubModel;
const prisma = testPrisma();

useLocalDataDir('tiles-route');

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 1 });
  vi.stubEnv('COMPATIBLE_MAX_PIXELS', undefined);
  pointAtStub(stub.url);
  await ensureTestUser(userId, { anonymous: false });
});

beforeEach(() => stub.reset());

afterAll(async () => {
  await Promise.allSettled(stored);
  vi.unstubAllEnvs();
  await stub?.stop();
  await prisma.$disconnect();
  await db().$disconnect();
});

const modelCalls = () => stub.requests.filter((r) => r.path === '/v1/chat/completions');
const isFinal = (r: (typeof stub.requests)[number]) => (r.body as { stream?: boolean }).stream === true;

function post(body: object) {
  return POST(new Request('http://glimpse.test/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
}

function submit(id: string, images: UploadedImage[], text: string, tiles: string[], mode?: 'compare') {
  const parts = [...images.map((m) => ({ type: 'file', url: mediaUrl(m.id), mediaType: m.mediaType })), { type: 'text', text }];
  return post({ trigger: 'submit-message', id, modelId: 'compatible:stub-vision', tiles, ...(mode ? { mode } : {}), message: { parts } });
}

async function chunksOf(response: Response): Promise<{ type: string; delta?: string; errorText?: string }[]> {
  expect(response.status).toBe(200);
  const text = await response.text();
  await Promise.all(stored);
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice('data: '.length)));
}

const upload = async (width: number, height: number, name: string, shade = 0) =>
  ingestImage(userId, await sharp({ create: { width, height, channels: 3, background: { r: 200 - shade, g: 220, b: 240 } } }).png().toBuffer(), name);

async function refused(response: Response, id: string) {
  expect(response.status).toBe(400);
  expect(await prisma.conversation.findUnique({ where: { id } })).toBeNull();
  expect(modelCalls()).toHaveLength(0);
  return ((await response.json()) as { error: { message: string } }).error.message;
}

describe('POST /api/chat with fine detail', () => {
  it('refuses it for an image the model reads well enough whole, saying the sizes and the rule', async () => {
    const id = randomUUID();
    const photo = await upload(1600, 1200, 'photo.png');
    expect(await refused(await submit(id, [photo], 'What is it?', [photo.id]), id)).toBe(
      '"photo.png" (1600 × 1200) goes to stub-vision at 1148 × 840, which keeps its detail, so fine detail would add nothing. ' +
        'It is for images shrunk to less than half their size (two thirds for long strips), such as long screenshots. Turn it off and send again.',
    );
  });

  it('refuses it for an image that is not attached to the message, and for a comparison', async () => {
    const tall = await upload(1080, 4000, 'tall.png', 1);
    const other = await upload(1080, 4000, 'other.png', 2);
    const id = randomUUID();
    expect(await refused(await submit(id, [tall], 'Read it', [other.id]), id)).toBe(
      'Fine detail was asked for a file that is not attached to this message. Attach it, or turn fine detail off.',
    );
    const second = randomUUID();
    expect(await refused(await submit(second, [tall, other], 'Compare', [tall.id], 'compare'), second)).toBe(
      'Fine detail is for questions, not comparisons. Turn it off to compare, or send without Compare.',
    );
  });

  it('stores the marker on the question, reads the tiles, and regenerating reads them again (from the cache) for a new answer', async () => {
    const id = randomUUID();
    const tall = await upload(1080, 4000, 'tall.png', 3);
    const photo = await upload(800, 600, 'photo.png', 3);
    const chunks = await chunksOf(await submit(id, [photo, tall], 'What does the last line say?', [tall.id]));
    expect(chunks.filter((c) => c.type === 'data-tile-progress').length).toBe(6);
    expect(chunks.some((c) => c.type === 'text-delta')).toBe(true);
    expect(modelCalls().filter((c) => !isFinal(c))).toHaveLength(5);
    expect(modelCalls().filter(isFinal)).toHaveLength(1);
    // The final call has both images; the notes are about the second one.
    const final = modelCalls().find(isFinal)!;
    expect(final.imageCount).toBe(2);
    expect(JSON.stringify(final.body)).toContain('Fine detail of image 2 (\\"tall.png\\", 1080 × 4000)');

    const [question, answer] = await prisma.message.findMany({ where: { conversationId: id }, orderBy: { createdAt: 'asc' } });
    expect(question.parts).toEqual(expect.arrayContaining([{ type: 'data-tiles', data: { mediaIds: [tall.id] } }]));
    expect(answer.status).toBe('complete');

    stub.reset();
    const again = await chunksOf(await post({ trigger: 'regenerate-message', id, modelId: 'compatible:stub-vision', messageId: answer.id }));
    expect(again.filter((c) => c.type === 'data-tile-progress').length).toBe(6);
    expect(modelCalls()).toHaveLength(1);
    expect(JSON.stringify(modelCalls()[0].body)).toContain('in 5 overlapping parts');
  });
});
