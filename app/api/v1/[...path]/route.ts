import { AppError, errorResponse } from '@/lib/errors';

export const runtime = 'nodejs';

// ANY /api/v1/<unknown> – a path the API does not have: a 404 in the API's error shape (not the app's HTML page), pointing at the document
function notFound(request: Request) {
  const { pathname } = new URL(request.url);
  return errorResponse(new AppError('not_found', `There is no endpoint ${request.method} ${pathname}. The endpoints are listed at /api/v1/openapi.json and /api-docs.`));
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
