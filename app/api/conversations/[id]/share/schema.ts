export { idParams as paramsSchema } from '@/lib/http-schemas';
export { shareSchema } from '@/lib/share/share-request';
