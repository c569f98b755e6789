import type { LanguageModelV4CallOptions, LanguageModelV4Prompt } from '@ai-sdk/provider';
import { halvePixels } from '@/lib/media/image';

type Content = Extract<LanguageModelV4Prompt[number], { role: 'user' }>['content'];

/** The same call with every image sent as bytes at half its pixels; null when it carries none. */
export async function withSmallerImages(options: LanguageModelV4CallOptions): Promise<LanguageModelV4CallOptions | null> {
  let shrunk = 0;
  const shrink = async (content: Content): Promise<Content> =>
    Promise.all(
      content.map(async (part) => {
        if (part.type !== 'file' || !part.mediaType.startsWith('image') || part.data.type !== 'data') return part;
        const raw = part.data.data;
        const bytes = typeof raw === 'string' ? Buffer.from(raw, 'base64') : raw;
        const smaller = await halvePixels(bytes);
        shrunk++;
        return { ...part, mediaType: smaller.mediaType, data: { type: 'data' as const, data: new Uint8Array(smaller.data) } };
      }),
    );
  const prompt = await Promise.all(options.prompt.map(async (message) => (message.role === 'user' ? { ...message, content: await shrink(message.content) } : message)));
  return shrunk > 0 ? { ...options, prompt } : null;
}
