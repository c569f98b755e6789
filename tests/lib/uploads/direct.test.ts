/**
 * Direct browser uploads to Vercel Blob, against our fake of the service driven by the real
 * @vercel/blob client: tokens only for the caller's own incoming pathnames, and an incoming video or
 * recording is validated like any upload and never left behind in the store.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Caller } from '@/lib/auth/quotas';
import { db } from '@/lib/db/client';
import { stopJobQueue } from '@/lib/jobs/boss';
import { getBlobStore } from '@/lib/storage';
import { ingestIncoming, issueUploadToken, newIncomingPathname, sweepAbandonedDirectUploads } from '@/lib/uploads/direct';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { rejectionWith } from '@/tests/support/errors';
import { startFakeVercelBlob, type FakeVercelBlob } from '@/tests/support/fake-vercel-blob';
import { ensureTestUser } from '@/tests/support/users';
import { sentencesWithPausesOfItsOwn } from '@/tests/support/audio';
import { pointAtStub } from '@/tests/support/stub-env';
import { silentClip } from '@/tests/support/videos';

const data = useLocalDataDir('direct-uploads');
let fake: FakeVercelBlob;
const caller: Caller = { id: `direct-${randomUUID()}`, type: 'user' };

const tokenRequest = (pathname: string) => ({
  type: 'blob.generate-client-token' as const,
  payload: { pathname, multipart: false, clientPayload: null },
});

beforeAll(async () => {
  fake = await startFakeVercelBlob();
  vi.stubEnv('BLOB_READ_WRITE_TOKEN', fake.token);
  vi.stubEnv('VERCEL_BLOB_API_URL', fake.url);
  vi.stubEnv('VERCEL_BLOB_RETRIES', '0');
  await ensureTestUser(caller.id);
});

afterAll(async () => {
  await stopJobQueue();
  await fake?.stop();
  await db().$disconnect();
});

describe('direct video uploads to Vercel Blob', () => {
  it('issues a client token for the caller’s own incoming pathname only', async () => {
    const request = new Request('http://localhost/api/uploads/video/token', { method: 'POST' });
    const mine = await issueUploadToken('video', caller, tokenRequest(newIncomingPathname(caller)), request);
    expect(mine).toMatchObject({ type: 'blob.generate-client-token', clientToken: expect.stringMatching(/^vercel_blob_client_/) });

    const someoneElses = newIncomingPathname({ id: 'someone-else', type: 'user' });
    await rejectionWith(issueUploadToken('video', caller, tokenRequest(someoneElses), request), 'bad_request');
    await rejectionWith(issueUploadToken('video', caller, tokenRequest(`originals/${'a'.repeat(64)}`), request), 'bad_request');
  });

  it('takes in an uploaded video and removes the incoming copy', async () => {
    const file = await silentClip(data.dir);
    const pathname = newIncomingPathname(caller);
    await getBlobStore().put(pathname, await readFile(file), 'video/mp4');

    const video = await ingestIncoming('video', caller, pathname, 'phone.mp4');
    expect(video).toMatchObject({ kind: 'video', filename: 'phone.mp4', durationMs: 2000 });
    expect(fake.objects.has(pathname)).toBe(false);
    const media = await db().media.findUniqueOrThrow({ where: { id: video.id } });
    expect(fake.objects.get(media.originalKey)?.body.equals(await readFile(file))).toBe(true);
  });

  it('refuses an uploaded file that is not a video and keeps nothing of it', async () => {
    const pathname = newIncomingPathname(caller);
    await getBlobStore().put(pathname, Buffer.from('<html>not a video</html>'), 'video/mp4');
    const before = [...fake.objects.keys()];

    await rejectionWith(ingestIncoming('video', caller, pathname, 'page.mp4'), 'unsupported_type');
    expect([...fake.objects.keys()].sort()).toEqual(before.filter((k) => k !== pathname).sort());
    await rejectionWith(ingestIncoming('video', caller, pathname, 'page.mp4'), 'not_found');
  });

  it('takes in a recording the same way', async () => {
    // Ingesting needs a transcription model configured, not a reachable one: nothing is transcribed here.
    pointAtStub('http://127.0.0.1:9/v1', { transcription: 'compatible:stub-whisper' });
    const request = new Request('http://localhost/api/uploads/audio/token', { method: 'POST' });
    const token = await issueUploadToken('audio', caller, tokenRequest(newIncomingPathname(caller)), request);
    expect(token).toMatchObject({ clientToken: expect.stringMatching(/^vercel_blob_client_/) });

    const speech = await sentencesWithPausesOfItsOwn(data.dir, 'direct');
    const pathname = newIncomingPathname(caller);
    await getBlobStore().put(pathname, await readFile(speech.file), 'audio/wav');
    const recording = await ingestIncoming('audio', caller, pathname, 'memo.wav');
    expect(recording).toMatchObject({ kind: 'audio', filename: 'memo.wav', mediaType: 'audio/wav' });
    expect(fake.objects.has(pathname)).toBe(false);

    const page = newIncomingPathname(caller);
    await getBlobStore().put(page, Buffer.from('<html>not a recording</html>'), 'audio/mpeg');
    await rejectionWith(ingestIncoming('audio', caller, page, 'page.mp3'), 'unsupported_type');
    expect(fake.objects.has(page)).toBe(false);
  });

  it('removes uploads never taken in, once they are a day old', async () => {
    const pathname = newIncomingPathname(caller);
    await getBlobStore().put(pathname, Buffer.from('half a video'), 'video/mp4');

    await sweepAbandonedDirectUploads();
    expect(fake.objects.has(pathname)).toBe(true);
    await sweepAbandonedDirectUploads(Date.now() + 25 * 60 * 60 * 1000);
    expect(fake.objects.has(pathname)).toBe(false);
    expect([...fake.objects.keys()].filter((key) => key.startsWith('incoming/'))).toEqual([]);
  });
});
