import { openApiDocument } from '@/lib/api/openapi';

export const runtime = 'nodejs';

// GET /api/v1/openapi.json – the API's OpenAPI 3.1 document, generated from the schemas the routes validate with; public, like the docs page
export function GET() {
  return Response.json(openApiDocument(), { headers: { 'access-control-allow-origin': '*' } });
}

// Any other method – 405 in the API's error shape
export { methodNotAllowed as POST, methodNotAllowed as PUT, methodNotAllowed as PATCH, methodNotAllowed as DELETE } from '@/lib/api/methods';
