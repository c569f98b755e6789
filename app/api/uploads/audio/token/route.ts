import { clientToken, incomingPathname } from '@/lib/uploads/direct-routes';

export const runtime = 'nodejs';

// GET /api/uploads/audio/token – a fresh pathname of the caller's own to upload a recording to directly
export const GET = incomingPathname;

// POST /api/uploads/audio/token – a client token for uploading one recording straight to Vercel Blob (the @vercel/blob/client protocol)
export const POST = clientToken('audio');
