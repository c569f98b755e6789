import { after } from 'next/server';
import { authenticateApiKey, recordApiUsage, type ApiCaller } from '@/lib/auth/api-keys';
import { errorResponse } from '@/lib/errors';

/** What a request spent on models, and the status it ended with (an answer streamed under a 200 can still fail). */
export interface ApiSpend {
  status: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** A response whose spending is known only later: a stream's usage arrives at its end. */
export interface ApiResult {
  response: Response;
  spent: Promise<ApiSpend>;
}

/**
 * The handler behind an API route called with a key: the key authenticates the request (401, or 429
 * over its rate limit), `work` answers it, and the request is counted against the key with the
 * status it got — failures too, so a key's owner sees their program's bad requests — and, for
 * work that called a model, the tokens and cost it spent. `work` parses its own input: a request
 * is counted only once it is known whose it is.
 */
export async function apiKeyRoute(request: Request, route: string, work: (caller: ApiCaller) => Promise<Response | ApiResult>): Promise<Response> {
  let caller: ApiCaller;
  try {
    caller = await authenticateApiKey(request);
  } catch (error) {
    return errorResponse(error);
  }
  const result = await work(caller).catch(errorResponse);
  // The work is done: failing the response now would only make the program do it again.
  const record = (entry: Partial<ApiSpend> & { status: number }) =>
    recordApiUsage(caller, { route, ...entry }).catch((error) => console.error(`api usage of key ${caller.keyId} not recorded:`, error));
  if (result instanceof Response) {
    await record({ status: result.status });
    return result;
  }
  // Counted once the spending is known; the platform keeps the function alive until then.
  after(result.spent.catch(() => ({ status: 500 })).then(record));
  return result.response;
}
