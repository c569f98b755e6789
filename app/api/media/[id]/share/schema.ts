export { shareSchema } from '@/lib/share/share-request';
