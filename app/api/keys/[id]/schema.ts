export { idParams as paramsSchema } from '@/lib/http-schemas';
