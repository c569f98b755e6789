import { openApiDocument } from '@/lib/api/openapi';
import { AppError, errorResponse } from '@/lib/errors';

let table: [RegExp, string[]][] | undefined;

/** The methods the document gives a path (`/api/v1/jobs/{id}` matching any id). */
function allowedMethods(pathname: string): string[] {
  table ??= Object.entries(openApiDocument().paths as Record<string, object>).map(([path, operations]) => [
    new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`),
    Object.keys(operations).map((method) => method.toUpperCase()),
  ]);
  return table.find(([pattern]) => pattern.test(pathname))?.[1] ?? [];
}

/**
 * ANY other method on an endpoint's path: a 405 in the API's error shape with `Allow`, where Next
 * would answer an empty 405. Route files export it under the methods they do not take.
 */
export function methodNotAllowed(request: Request): Response {
  const { pathname } = new URL(request.url);
  const allowed = allowedMethods(pathname);
  const response = errorResponse(new AppError('method_not_allowed', `${pathname} does not take ${request.method}; it takes ${allowed.join(' and ')}.`));
  response.headers.set('allow', allowed.join(', '));
  return response;
}
