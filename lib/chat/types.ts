import type { UIMessage } from 'ai';
import type { CompareMarker, ComparisonData } from '@/lib/chat/comparison-schema';

export type AnswerStatus = 'streaming' | 'complete' | 'stopped' | 'error';

/** What an assistant message carries besides its text; shown under each answer. */
export interface MessageMeta {
  modelId?: string;
  modelLabel?: string;
  detail?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Of outputTokens, what a thinking model spent reasoning. */
  reasoningTokens?: number;
  /** null when the model's price is unknown (local servers). */
  costUsd?: number | null;
  latencyMs?: number;
  cached?: boolean;
  status?: AnswerStatus;
  /** A message for the person, never an internal error. */
  error?: string;
}

/** Marks the images of a question read in overlapping tiles for fine detail (lib/chat/tiled-answer.ts). */
export interface TilesMarker {
  mediaIds: string[];
}

/** How many of a question's tiles have been read, while its answer waits for them; transient (never stored). */
export interface TileProgress {
  read: number;
  total: number;
}

/**
 * `data-compare` marks a comparison's question; `data-comparison` is its answer (components/chat/comparison-table.tsx).
 * `data-tiles` marks a question asked with fine detail; `data-tile-progress` reports its tiles being read.
 */
export type ChatDataParts = { compare: CompareMarker; comparison: ComparisonData; tiles: TilesMarker; 'tile-progress': TileProgress };

export type ChatMessage = UIMessage<MessageMeta, ChatDataParts>;

/** Image parts point at our own authorizing route, never at storage directly. */
export const mediaUrl = (mediaId: string) => `/api/media/${mediaId}`;

export function mediaIdFromUrl(url: string): string | null {
  const match = /^\/api\/media\/([0-9a-f-]{36})$/.exec(url);
  return match ? match[1] : null;
}

/** A message's text, its text parts joined (file parts carry no text). */
export function textOfParts(parts: readonly { type: string; text?: string }[], separator = ''): string {
  return parts.map((p) => (p.type === 'text' ? (p.text ?? '') : '')).filter(Boolean).join(separator);
}

/** The images a question asked to be read in fine detail (its `data-tiles` part), by media id. */
export function tiledMediaIds(parts: ChatMessage['parts']): string[] {
  return parts.flatMap((p) => (p.type === 'data-tiles' ? p.data.mediaIds : []));
}
