import { authenticateApiKey, recordApiUsage, type ApiCaller } from '@/lib/auth/api-keys';
import { errorResponse } from '@/lib/errors';

/**
 * The handler behind an API route called with a key: the key authenticates the request (401, or 429
 * over its rate limit), `work` answers it, and the request is counted against the key with the
 * status it got — failures too, so a key's owner sees their program's bad requests. `work` parses
 * its own input: a request is counted only once it is known whose it is.
 */
export async function apiKeyRoute(request: Request, route: string, work: (caller: ApiCaller) => Promise<Response>): Promise<Response> {
  let caller: ApiCaller;
  try {
    caller = await authenticateApiKey(request);
  } catch (error) {
    return errorResponse(error);
  }
  const response = await work(caller).catch(errorResponse);
  // The work is done: failing the response now would only make the program do it again.
  await recordApiUsage(caller, { route, status: response.status }).catch((error) => console.error(`api usage of key ${caller.keyId} not recorded:`, error));
  return response;
}
