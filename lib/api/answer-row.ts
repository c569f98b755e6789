import type { Comparison } from '@/lib/chat/comparison-schema';
import { textOfParts, type ChatMessage } from '@/lib/chat/types';
import type { Message } from '@/lib/generated/prisma/client';
import type { ApiSpend } from '@/lib/auth/api-key-route';

/** A stored answer's usage as the API reports it: what it took when it was made, even if cached now. */
export const answerUsage = (row: Message) => ({ input_tokens: row.inputTokens ?? 0, output_tokens: row.outputTokens ?? 0, cost_usd: row.costUsd });

/** What the answer cost the key: nothing when it came from the cache (no model was called). */
export const answerSpend = (row: Message | undefined, status: number): ApiSpend => ({
  status,
  inputTokens: row && !row.cached ? (row.inputTokens ?? 0) : 0,
  outputTokens: row && !row.cached ? (row.outputTokens ?? 0) : 0,
  costUsd: row && !row.cached ? (row.costUsd ?? 0) : 0,
});

/** A comparison's finished table without the UI's state, or null when the answer holds none. */
export function comparisonOf(row: Message): Comparison | null {
  const comparison = (row.parts as ChatMessage['parts']).find((p) => p.type === 'data-comparison');
  if (comparison?.type !== 'data-comparison' || comparison.data.state !== 'complete') return null;
  const { state: _state, ...table } = comparison.data;
  return table;
}

/** A comparison's table, or the answer's text. */
export const answerResult = (row: Message): string | Comparison => comparisonOf(row) ?? textOfParts(row.parts as ChatMessage['parts']);
