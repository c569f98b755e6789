import { comparisonOf, answerUsage } from '@/lib/api/answer-row';
import type { ComparisonJob, ComparisonProgressEvent } from '@/lib/api/schemas';
import { eventStreamResponse, type ServerEvent } from '@/lib/api/sse';
import { isComparisonQuestion } from '@/lib/chat/comparison-schema';
import { textOfParts, type ChatMessage } from '@/lib/chat/types';
import { getConversationWithMessages } from '@/lib/db/conversations';

// The answer is written by the web process that took the request: its row is where progress shows.
const POLL_MS = 500;

/**
 * A comparison as a job: a conversation of the caller's that opens with a comparison question
 * (as POST /api/v1/compare makes them) and the answer to that question. Its id is the
 * conversation's; null for anyone else's or for a conversation that is no comparison.
 */
export async function findComparisonJob(userId: string, id: string): Promise<ComparisonJob | null> {
  const conversation = await getConversationWithMessages(userId, id);
  const [question, answer] = conversation?.messages ?? [];
  if (!conversation || question?.role !== 'user' || !isComparisonQuestion(question.parts as ChatMessage['parts'])) return null;
  const reply = answer?.role === 'assistant' ? answer : undefined;
  const table = reply?.status === 'complete' ? comparisonOf(reply) : null;
  const ended = reply !== undefined && reply.status !== 'streaming';
  const status = !ended ? 'running' : table ? 'succeeded' : 'failed';
  return {
    id: conversation.id,
    kind: 'comparison',
    status,
    progress: ended ? 1 : 0,
    error: status === 'failed' ? (reply?.errorCode ?? 'The comparison was stopped before it was finished.') : null,
    created_at: conversation.createdAt.toISOString(),
    prompt: textOfParts(question.parts as ChatMessage['parts']),
    model: reply?.modelId ?? conversation.modelId,
    result: table,
    usage: ended && reply ? answerUsage(reply) : null,
    cached: reply?.cached ?? false,
  };
}

/** A comparison's progress as Server-Sent Events: an event when its state changes, until it ends. */
export function comparisonEventsResponse(request: Request, userId: string, id: string): Response {
  return eventStreamResponse(comparisonEvents(request.signal, userId, id));
}

async function* comparisonEvents(signal: AbortSignal, userId: string, id: string): AsyncGenerator<ServerEvent> {
  let last = '';
  while (!signal.aborted) {
    const job = await findComparisonJob(userId, id);
    if (!job) return;
    const event: ComparisonProgressEvent = { status: job.status, progress: job.progress, error: job.error };
    if (JSON.stringify(event) !== last) {
      last = JSON.stringify(event);
      yield { event: 'message', data: event };
    }
    if (job.status !== 'running') return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
