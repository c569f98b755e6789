import { clientToken, incomingPathname } from '@/lib/uploads/direct-routes';

export const runtime = 'nodejs';

// GET /api/uploads/video/token – a fresh pathname of the caller's own to upload a video to directly
export const GET = incomingPathname;

// POST /api/uploads/video/token – a client token for uploading one video straight to Vercel Blob (the @vercel/blob/client protocol)
export const POST = clientToken('video');
