/** `?format=txt|srt|vtt` and, for a translation, `&translation=<id>`. */
export { transcriptDownloadQuery, transcriptQueryMessage } from '@/lib/transcripts/download';
