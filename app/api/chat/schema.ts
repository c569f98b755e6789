import { z } from 'zod';

const textPart = z.object({ type: z.literal('text'), text: z.string().max(20_000, 'a message can be at most 20,000 characters') });
const filePart = z.object({
  type: z.literal('file'),
  url: z.string(),
  mediaType: z.string().optional(),
  filename: z.string().optional(),
});

/** A question of 20,000 characters fits even when every one is escaped in JSON (`\\uXXXX`), with its parts around it. */
export const CHAT_BODY_BYTES = 256 * 1024;

export const chatRequestSchema = z.discriminatedUnion('trigger', [
  z.object({
    trigger: z.literal('submit-message'),
    id: z.uuid(),
    modelId: z.string().min(1),
    detail: z.enum(['low', 'high', 'auto']).default('auto'),
    /** `compare`: the images are compared into a table (lib/chat/compare.ts) instead of answered in words. */
    mode: z.enum(['answer', 'compare']).default('answer'),
    /** Media ids of this message's images to read in overlapping tiles for fine detail (lib/chat/tiled-answer.ts). */
    tiles: z.array(z.uuid()).max(100, 'fine detail can be asked for at most 100 images').default([]),
    message: z.object({ parts: z.array(z.discriminatedUnion('type', [textPart, filePart])).min(1) }),
  }),
  z.object({
    trigger: z.literal('regenerate-message'),
    id: z.uuid(),
    modelId: z.string().min(1),
    detail: z.enum(['low', 'high', 'auto']).default('auto'),
    /** The answer being replaced; absent when retrying a question that never got one. */
    messageId: z.string().min(1).optional(),
  }),
]);

export type ChatRequest = z.infer<typeof chatRequestSchema>;
