import { formatBytes } from '@/lib/errors';

/** Which upload route a dropped, pasted or picked file takes. The server checks the content either way. */
export type FileKind = 'image' | 'video' | 'audio';

const videoExtension = /\.(mp4|m4v|mov|webm|mkv|avi)$/i;
const audioExtension = /\.(mp3|m4a|m4b|aac|wav|wave|ogg|oga|opus|flac|weba|aif|aiff)$/i;

/** File types a picker offers: `audio/*` alone misses Opus and M4A files on some systems. */
export const acceptedFiles = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/tiff',
  'video/*',
  'audio/*',
  ...['.mp3', '.m4a', '.aac', '.wav', '.ogg', '.opus', '.flac', '.weba'],
].join(',');

/**
 * By MIME type, or by extension when the browser gives none (some systems have no type for Matroska,
 * AVI, Opus or FLAC files) or only the catch-all `application/octet-stream`. Anything else is offered
 * as an image, and the image route says what it is not.
 */
export function fileKind(file: { name: string; type: string }): FileKind {
  const type = file.type.toLowerCase();
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/') || type === 'application/ogg') return 'audio';
  if (type && type !== 'application/octet-stream') return 'image';
  if (videoExtension.test(file.name)) return 'video';
  if (audioExtension.test(file.name)) return 'audio';
  return 'image';
}

/**
 * A "video" whose container is as often sound alone: browsers type every `.webm` as `video/webm`
 * (a recording made in a browser among them) and some systems every `.ogg` as `video/ogg`. Such a
 * file is looked at before it is sent, to pick the route.
 */
export function mayBeSoundOnly(file: { name: string; type: string }): boolean {
  if (fileKind(file) !== 'video') return false;
  const type = file.type.toLowerCase();
  return type === 'video/webm' || type === 'video/ogg' || (!type && /\.webm$/i.test(file.name));
}

const nouns: Record<FileKind, string> = { image: 'image', video: 'video', audio: 'recording' };

/** Why a file is too large for its kind, as the route would say it; null when it fits. */
export function sizeError(file: { name: string; size: number }, kind: FileKind, limits: { maxBytes: number; maxVideoBytes: number; maxAudioBytes: number }): string | null {
  const limit = { image: limits.maxBytes, video: limits.maxVideoBytes, audio: limits.maxAudioBytes }[kind];
  if (file.size <= limit) return null;
  return `${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(limit)} per ${nouns[kind]}.`;
}

/** On a recording's chip when the server cannot transcribe (the upload route would refuse it the same way). */
export const noTranscription = 'Transcription is not set up on this server, so recordings cannot be added. Ask the administrator to set TRANSCRIPTION_MODEL.';

/** Said at once when recordings are dropped on a server that cannot transcribe them. */
export function noTranscriptionNotice(names: string[]): string {
  const what = names.length === 1 ? names[0] : `${names.length} recordings`;
  return `${what} not added: ${noTranscription[0].toLowerCase()}${noTranscription.slice(1)}`;
}
