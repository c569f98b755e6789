import { describe, expect, it } from 'vitest';
import { UploadQueue } from '@/components/chat/upload-queue';

/** An upload that finishes when the test says so. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function harness(limit: number, count: number) {
  const queue = new UploadQueue(limit);
  const started: string[] = [];
  const uploads = new Map<string, ReturnType<typeof deferred>>();
  const ids = Array.from({ length: count }, (_, i) => `file-${i}`);
  for (const id of ids) {
    const upload = deferred();
    uploads.set(id, upload);
    queue.add(id, () => {
      started.push(id);
      return upload.promise;
    });
  }
  return { queue, started, uploads, ids };
}

describe('UploadQueue', () => {
  it('runs at most `limit` uploads, the rest in the order they came as places free up', async () => {
    const { queue, started, uploads } = harness(3, 7);
    expect(started).toEqual(['file-0', 'file-1', 'file-2']);
    expect(queue.active).toBe(3);
    expect(queue.isWaiting('file-3')).toBe(true);

    uploads.get('file-1')!.resolve();
    await settle();
    expect(started).toEqual(['file-0', 'file-1', 'file-2', 'file-3']);
    expect(queue.active).toBe(3);

    uploads.get('file-0')!.resolve();
    uploads.get('file-2')!.resolve();
    await settle();
    expect(started).toEqual(['file-0', 'file-1', 'file-2', 'file-3', 'file-4', 'file-5']);
    expect(queue.active).toBe(3);
  });

  it('frees the place of a failed upload, and of a start that throws', async () => {
    const queue = new UploadQueue(1);
    const started: string[] = [];
    const failing = deferred();
    queue.add('fails', () => {
      started.push('fails');
      return failing.promise;
    });
    queue.add('throws', () => {
      started.push('throws');
      throw new Error('no such file');
    });
    queue.add('last', () => {
      started.push('last');
      return Promise.resolve();
    });
    expect(started).toEqual(['fails']);
    failing.reject(new Error('HTTP 500'));
    await settle();
    await settle();
    expect(started).toEqual(['fails', 'throws', 'last']);
    await settle();
    expect(queue.active).toBe(0);
  });

  it('drops a waiting upload when its file is removed; a running one is left to its own abort', async () => {
    const { queue, started, uploads } = harness(2, 4);
    expect(queue.drop('file-2')).toBe(true);
    expect(queue.drop('file-2')).toBe(false);
    expect(queue.drop('file-0')).toBe(false);
    uploads.get('file-0')!.resolve();
    await settle();
    expect(started).toEqual(['file-0', 'file-1', 'file-3']);
  });

  it('clears every waiting upload at once (the message was sent, or the page left)', async () => {
    const { queue, started, uploads } = harness(1, 3);
    queue.clear();
    uploads.get('file-0')!.resolve();
    await settle();
    expect(started).toEqual(['file-0']);
    expect(queue.active).toBe(0);
  });

  it('needs room for one upload at least', () => {
    expect(() => new UploadQueue(0)).toThrow();
  });
});
