import { describe, expect, it } from 'vitest';
import { answerCacheKey, type CacheKeyInput } from '@/lib/chat/cache-key';

const base: CacheKeyInput = {
  modelId: 'compatible:stub-vision',
  instructions: 'Answer about images.',
  budget: { kind: 'openai-tiles', detail: 'auto' },
  turns: [{ role: 'user', text: 'What is in this photo?', imageHashes: ['aa'.repeat(32)] }],
};

describe('answerCacheKey', () => {
  it('is stable for identical input', () => {
    expect(answerCacheKey(base)).toBe(answerCacheKey(structuredClone(base)));
    expect(answerCacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, CacheKeyInput]>([
    ['model', { ...base, modelId: 'compatible:other' }],
    ['instructions', { ...base, instructions: 'Answer in French.' }],
    ['preprocessing', { ...base, budget: { kind: 'openai-tiles', detail: 'low' } }],
    ['image content', { ...base, turns: [{ ...base.turns[0], imageHashes: ['bb'.repeat(32)] }] }],
    ['question', { ...base, turns: [{ ...base.turns[0], text: 'What colour is it?' }] }],
    ['earlier context', { ...base, turns: [{ role: 'user', text: 'hello', imageHashes: [] }, { role: 'assistant', text: 'hi', imageHashes: [] }, ...base.turns] }],
    ['image order', { ...base, turns: [{ ...base.turns[0], imageHashes: ['bb'.repeat(32), 'aa'.repeat(32)] }] }],
  ])('changes when the %s changes', (_what, changed) => {
    expect(answerCacheKey(changed)).not.toBe(answerCacheKey(base));
  });

  it('does not confuse text boundaries between turns', () => {
    const a: CacheKeyInput = { ...base, turns: [{ role: 'user', text: 'ab', imageHashes: [] }, { role: 'user', text: 'c', imageHashes: [] }] };
    const b: CacheKeyInput = { ...base, turns: [{ role: 'user', text: 'a', imageHashes: [] }, { role: 'user', text: 'bc', imageHashes: [] }] };
    expect(answerCacheKey(a)).not.toBe(answerCacheKey(b));
  });
});
