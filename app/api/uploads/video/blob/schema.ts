/** The pathname the browser uploaded to and the file's name (parsed by takeIn). */
export { incomingUpload } from '@/lib/uploads/direct-schema';
