import { copySharedConversation, sharedUploadsForCopy } from '@/lib/db/share-links';
import { stageCopiedContent, type CopiedContent } from '@/lib/share/copied-content';
import { freeContentIfUnused } from '@/lib/uploads/content-blobs';

/**
 * "Continue in a copy" of a live link: the copy holds what the share page served (see
 * ./copied-content), never the owner's originals. Null when the link is not live or shares one
 * upload's analysis. A failure leaves no row, no blob and no staged file behind.
 */
export async function continueInCopy(token: string, viewerId: string): Promise<{ conversationId: string } | null> {
  const uploads = await sharedUploadsForCopy(token);
  if (!uploads) return null;
  const contents: CopiedContent[] = [];
  try {
    // One at a time: a video's playback copy may be large, and copies are rate-limited anyway.
    for (const upload of uploads) {
      const content = await stageCopiedContent(upload);
      if (content) contents.push(content);
    }
    return await copySharedConversation(token, viewerId, contents);
  } catch (error) {
    // Whatever blobs the failed copy wrote go, unless a row (an earlier copy) uses them.
    await Promise.all(contents.map((c) => freeContentIfUnused(c.sha256)));
    throw error;
  } finally {
    await Promise.all(contents.map((c) => c.cleanup()));
  }
}
