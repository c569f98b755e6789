import { toNextJsHandler } from 'better-auth/next-js';
import { auth } from '@/lib/auth/auth';

export const runtime = 'nodejs';

const handler = () => toNextJsHandler(auth());

// GET /api/auth/* – better-auth: session, sign-out callbacks
export const GET = (request: Request) => handler().GET(request);
// POST /api/auth/* – better-auth: sign up, sign in, sign out, guest sign-in, admin actions (each checks its caller)
export const POST = (request: Request) => handler().POST(request);
