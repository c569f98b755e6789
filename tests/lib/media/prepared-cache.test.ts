import { describe, expect, it } from 'vitest';
import { preparedOnce } from '@/lib/media/prepared-cache';
import type { ImageBudget, PreparedImage } from '@/lib/media/types';

const high: ImageBudget = { kind: 'openai-tiles', detail: 'high' };
const low: ImageBudget = { kind: 'openai-tiles', detail: 'low' };
const image = (size: number): PreparedImage => ({ data: Buffer.alloc(size), mediaType: 'image/jpeg', width: 1, height: 1 });

describe('preparedOnce', () => {
  it('prepares an image once per content hash and budget', async () => {
    let calls = 0;
    const prepare = async () => (calls++, image(10));
    const first = await preparedOnce('hash-a', high, prepare);
    expect(await preparedOnce('hash-a', high, prepare)).toBe(first);
    await preparedOnce('hash-a', low, prepare);
    await preparedOnce('hash-b', high, prepare);
    expect(calls).toBe(3);
  });

  it('forgets the least recently used images beyond its memory budget', async () => {
    let calls = 0;
    const big = async () => (calls++, image(30 * 1024 * 1024));
    await preparedOnce('big-1', high, big);
    await preparedOnce('big-2', high, big);
    await preparedOnce('big-1', high, big); // touch: big-2 is now the oldest
    await preparedOnce('big-3', high, big); // 90 MB > 64 MB: big-2 goes
    expect(calls).toBe(3);
    await preparedOnce('big-1', high, big);
    expect(calls).toBe(3);
    await preparedOnce('big-2', high, big);
    expect(calls).toBe(4);
  });

  it('does not keep a failed preparation', async () => {
    await expect(preparedOnce('broken', high, async () => Promise.reject(new Error('missing')))).rejects.toThrow('missing');
    expect(await preparedOnce('broken', high, async () => image(1))).toMatchObject({ width: 1 });
  });
});

describe('preparedOnce with concurrent requests', () => {
  it('shares one preparation between requests that arrive while it runs', async () => {
    let calls = 0;
    let finish!: (image: PreparedImage) => void;
    const slow = () => (calls++, new Promise<PreparedImage>((resolve) => (finish = resolve)));
    const both = Promise.all([preparedOnce('same', high, slow), preparedOnce('same', high, slow)]);
    finish(image(5));
    const [a, b] = await both;
    expect(calls).toBe(1);
    expect(a).toBe(b);
  });
});
