import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { createMedia } from '@/lib/db/media';
import { deleteUnusedTranscripts, saveTranslation, setMediaTranscript } from '@/lib/db/transcripts';
import { ensureTestUser } from '@/tests/support/users';

afterAll(async () => {
  await db().$disconnect();
});

async function transcript() {
  return db().transcript.create({
    data: { audioSha256: randomBytes(32).toString('hex'), modelId: 'compatible:stub-whisper', language: 'en', durationMs: 3000, segments: [{ startMs: 0, endMs: 900, text: 'Hello' }] },
  });
}

async function recording(userId: string) {
  const sha256 = randomBytes(32).toString('hex');
  return createMedia({ userId, sha256, kind: 'audio', mediaType: 'audio/mpeg', filename: 'memo.mp3', bytes: 10, width: 640, height: 160, durationMs: 3000, originalKey: `originals/${sha256}`, previewKey: `previews/${sha256}.webp` });
}

describe('transcripts nobody uses any more', () => {
  it('go with their translations once every upload of that sound is gone; those still used, or just made, stay', async () => {
    const userId = `transcripts-${randomUUID()}`;
    await ensureTestUser(userId);
    const [orphan, kept] = await Promise.all([transcript(), transcript()]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const fresh = await transcript();
    const [gone, staying, twin] = await Promise.all([recording(userId), recording(userId), recording(userId)]);
    await setMediaTranscript(gone.id, orphan.id);
    await setMediaTranscript(staying.id, kept.id);
    // Another upload of the same sound shares the transcript: deleting one upload keeps it.
    await setMediaTranscript(twin.id, kept.id);
    await saveTranslation(gone.id, { transcriptId: orphan.id, language: 'French', modelId: 'compatible:stub-vision', texts: ['Bonjour'], inputTokens: 1, outputTokens: 1, costUsd: 0 });
    await db().media.deleteMany({ where: { id: { in: [gone.id, twin.id] } } });

    // `fresh` was made after the cut-off: a job may be about to attach it.
    const count = await deleteUnusedTranscripts(new Date(fresh.createdAt.getTime()));
    expect(count).toBeGreaterThanOrEqual(1);
    expect(await db().transcript.findUnique({ where: { id: orphan.id } })).toBeNull();
    expect(await db().transcriptTranslation.count({ where: { transcriptId: orphan.id } })).toBe(0);
    expect(await db().transcript.findUnique({ where: { id: kept.id } })).not.toBeNull();
    expect(await db().transcript.findUnique({ where: { id: fresh.id } })).not.toBeNull();
  });
});
