import { takeIn } from '@/lib/uploads/direct-routes';

export const runtime = 'nodejs';
export const maxDuration = 3600;

// POST /api/uploads/audio/blob – take in a recording the browser uploaded to Vercel Blob: validated, stored and queued like any upload
export const POST = takeIn('audio');
