/** The recording is the raw request body; `?filename=` names it, as in the app's own upload (PUT /api/uploads/audio). */
export { audioUploadQuery as transcribeQuery } from '@/app/api/uploads/audio/schema';
