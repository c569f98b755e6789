import { apiKeyRoute } from '@/lib/auth/api-key-route';
import { requestsToday } from '@/lib/auth/api-keys';

export const runtime = 'nodejs';

// GET /api/v1/me – whose key this is, which key, and its requests today: the smallest call that proves a key works
export function GET(request: Request) {
  return apiKeyRoute(request, 'GET /api/v1/me', async (caller) =>
    Response.json({
      user: { id: caller.id, email: caller.email },
      key: { id: caller.keyId, name: caller.key.name, prefix: caller.key.prefix },
      // This request is counted once it is answered: included here already.
      usage: { requestsToday: (await requestsToday(caller.keyId)) + 1 },
    }),
  );
}

// Any other method – 405 in the API's error shape
export { methodNotAllowed as POST, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE } from '@/lib/api/methods';
