export type { AudioView } from '@/components/video/video-api';
