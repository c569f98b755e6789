/** The video is the raw request body; `?filename=` names it, as in the app's own upload (PUT /api/uploads/video). */
export { videoUploadQuery as analyzeVideoQuery } from '@/app/api/uploads/video/schema';
