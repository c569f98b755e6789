/** /admin/media/:id/frames/:index */
export { frameParams } from '@/lib/http-schemas';
