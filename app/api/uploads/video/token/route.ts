import { clientToken, incomingPathname } from '@/lib/uploads/direct-routes';

export const runtime = 'nodejs';

// GET /api/uploads/video/token – a fresh pathname of the caller's own to upload a video to directly
export function GET() {
  return incomingPathname();
}

// POST /api/uploads/video/token – a client token for uploading one video straight to Vercel Blob (the @vercel/blob/client protocol)
export function POST(request: Request) {
  return clientToken('video', request);
}
