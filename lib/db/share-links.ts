import { randomUUID } from 'node:crypto';
import { db } from '@/lib/db/client';
import type { Prisma } from '@/lib/generated/prisma/client';
import type { ChatMessage } from '@/lib/chat/types';
import type { CopiedContent, SharedUpload } from '@/lib/share/copied-content';
import { copiedParts, mediaIdsOfParts, shareStatus, shareUrl, type ShareStatus } from '@/lib/share/links';

/** One of the caller's links, as the "Shared links" list and the share dialog show it. */
export interface ShareLinkSummary {
  id: string;
  conversationId: string;
  /** What the link shows: the whole conversation, or one video's or recording's analysis (`mediaId`). */
  shares: 'conversation' | 'video' | 'audio';
  mediaId: string | null;
  title: string;
  url: string;
  /** ISO 8601, so they cross to the browser as they are. */
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  views: number;
  status: ShareStatus;
}

const COPY_TIMEOUT_MS = 30_000;

/** A link that still works: not revoked and not past its expiry. */
const live = (now: Date): Prisma.ShareLinkWhereInput => ({ revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });

/** The snapshot: messages written up to the moment of sharing, never what came after. */
const inSnapshot = (link: { conversationId: string; snapshotAt: Date }): Prisma.MessageWhereInput => ({
  conversationId: link.conversationId,
  createdAt: { lte: link.snapshotAt },
});

/**
 * The caller must own the conversation (the route checks first). snapshotAt is left to the same
 * `now()` default that stamps messages, so "created after the snapshot" compares like with like.
 */
export function createShareLink(input: { userId: string; conversationId: string; mediaId?: string; token: string; expiresAt: Date | null }) {
  return db().shareLink.create({ data: input });
}

/** The caller's links, newest first, with the title of what each one shares. */
export async function listShareLinks(userId: string, now = new Date(), take = 200): Promise<ShareLinkSummary[]> {
  const rows = await db().shareLink.findMany({
    where: { userId },
    orderBy: { createdAt: 'desc' },
    take,
    include: { conversation: { select: { title: true } }, media: { select: { filename: true, kind: true } } },
  });
  return rows.map((l) => ({
    id: l.id,
    conversationId: l.conversationId,
    shares: l.media ? (l.media.kind === 'audio' ? 'audio' : 'video') : 'conversation',
    mediaId: l.mediaId,
    title: l.media?.filename ?? l.conversation.title,
    url: shareUrl(l.token),
    createdAt: l.createdAt.toISOString(),
    expiresAt: l.expiresAt?.toISOString() ?? null,
    revokedAt: l.revokedAt?.toISOString() ?? null,
    views: l.views,
    status: shareStatus(l, now),
  }));
}

/**
 * Revokes the caller's link; false when it is not theirs (or does not exist). Revoking twice keeps
 * the first time (plain SQL for COALESCE, which Prisma's update cannot express).
 */
export async function revokeShareLink(userId: string, id: string): Promise<boolean> {
  const count = await db().$executeRaw`UPDATE "ShareLink" SET "revokedAt" = COALESCE("revokedAt", now()) WHERE "id" = ${id} AND "userId" = ${userId}`;
  return count > 0;
}

export function getShareLink(userId: string, id: string) {
  return db().shareLink.findFirst({ where: { id, userId } });
}

/** A link that still works, with what it shares; null for unknown, revoked and expired alike. */
export function findLiveShareLink(token: string, now = new Date()) {
  return db().shareLink.findFirst({
    where: { token, ...live(now) },
    include: { conversation: { select: { title: true, modelId: true } }, media: { select: { id: true, filename: true, kind: true, mediaType: true } } },
  });
}

/** What a link is called in previews and on its page: the conversation's title, or the shared upload's name. */
export const sharedTitle = (link: { conversation: { title: string }; media: { filename: string } | null }) => link.media?.filename ?? link.conversation.title;

export function snapshotMessages(link: { conversationId: string; snapshotAt: Date }) {
  return db().message.findMany({ where: inSnapshot(link), orderBy: { createdAt: 'asc' } });
}

/**
 * What a shared page shows: the live link, its title and the snapshot's messages — none for a link
 * to one upload's analysis, whose page shows that upload alone (`link.media`).
 */
export async function getSharedConversation(token: string, now = new Date()) {
  const link = await findLiveShareLink(token, now);
  if (!link) return null;
  return { link, title: sharedTitle(link), messages: link.media ? [] : await snapshotMessages(link) };
}

/** updateMany, so a link deleted meanwhile (its conversation was) is not an error. */
export async function countShareView(id: string): Promise<void> {
  await db().shareLink.updateMany({ where: { id }, data: { views: { increment: 1 } } });
}

/**
 * An upload a live link may serve: attached to a message inside the snapshot, and stored as part of
 * that conversation — or, for a link to one upload's analysis, that upload only. Anything else (a
 * later message's image, another conversation's, a dead link) is null, exactly like an id that does
 * not exist.
 */
export async function getSharedMedia(token: string, mediaId: string, now = new Date()) {
  const link = await findLiveShareLink(token, now);
  if (!link) return null;
  // A link to one upload's analysis serves that upload and nothing else of the conversation.
  if (link.mediaId) return link.mediaId === mediaId ? db().media.findFirst({ where: { id: mediaId, conversationId: link.conversationId } }) : null;
  const messages = await db().message.findMany({ where: { ...inSnapshot(link), role: 'user' }, select: { parts: true } });
  const shared = messages.some((m) => mediaIdsOfParts(m.parts as ChatMessage['parts']).includes(mediaId));
  if (!shared) return null;
  return db().media.findFirst({ where: { id: mediaId, conversationId: link.conversationId } });
}

/**
 * A video a live link may show, by the same rule as getSharedMedia, with its job and its frames (the
 * timeline). Null for anything getSharedMedia refuses, and for an image.
 */
export async function getSharedVideo(token: string, mediaId: string, now = new Date()) {
  const media = await getSharedMedia(token, mediaId, now);
  if (!media || media.kind !== 'video') return null;
  const [videoJob, frames] = await Promise.all([
    db().videoJob.findUnique({ where: { mediaId } }),
    db().videoFrame.findMany({ where: { mediaId }, orderBy: { index: 'asc' } }),
  ]);
  return { media: { ...media, videoJob }, frames };
}

/** A recording a live link may play, by the same rule as getSharedMedia, with its job; null for anything else. */
export async function getSharedAudio(token: string, mediaId: string, now = new Date()) {
  const media = await getSharedMedia(token, mediaId, now);
  if (!media || media.kind !== 'audio') return null;
  return { ...media, videoJob: await db().videoJob.findUnique({ where: { mediaId } }) };
}

/** One scene's frame of a video a live link may show; null as getSharedVideo, or for an index it does not have. */
export async function getSharedVideoFrame(token: string, mediaId: string, index: number, now = new Date()) {
  const media = await getSharedMedia(token, mediaId, now);
  if (!media || media.kind !== 'video') return null;
  const frame = await db().videoFrame.findUnique({ where: { mediaId_index: { mediaId, index } } });
  return frame && { media, frame };
}

/** The uploads a live conversation link's snapshot shows, with what copying them needs; null when there is nothing to copy. */
export async function sharedUploadsForCopy(token: string, now = new Date()): Promise<SharedUpload[] | null> {
  const link = await db().shareLink.findFirst({ where: { token, ...live(now) } });
  // A link to one upload's analysis shares no conversation to continue.
  if (!link || link.mediaId) return null;
  const messages = await db().message.findMany({ where: inSnapshot(link), select: { parts: true } });
  const mediaIds = [...new Set(messages.flatMap((m) => mediaIdsOfParts(m.parts as ChatMessage['parts'])))];
  return db().media.findMany({
    where: { id: { in: mediaIds }, conversationId: link.conversationId },
    select: { id: true, kind: true, sha256: true, previewKey: true, playbackKey: true, frames: { select: { thumbKey: true } } },
  });
}

/**
 * "Continue in a copy": a new conversation of the viewer's with copies of the snapshot's messages
 * (new ids) and new Media rows of the viewer's holding `contents` (what the share page served, see
 * lib/share/copied-content.ts), never the owner's original. An upload without a content is left
 * out, with its parts. Null when the link is no longer live. All or nothing.
 *
 * Blobs are reference-counted by sha256 under an advisory lock per hash (see withContentLock in
 * lib/db/media.ts). Taking those locks, in a fixed order so two copies cannot deadlock, before
 * reading the originals and writing the copies' blobs means a sweep that frees blobs either ran
 * before (and we see its rows gone) or runs after (and sees our rows).
 */
export async function copySharedConversation(
  token: string,
  viewerId: string,
  contents: CopiedContent[],
  now = new Date(),
): Promise<{ conversationId: string } | null> {
  const contentOf = new Map(contents.map((c) => [c.sourceId, c]));
  return db().$transaction(
    async (tx) => {
      const link = await tx.shareLink.findFirst({ where: { token, ...live(now) }, include: { conversation: { select: { title: true, modelId: true } } } });
      if (!link || link.mediaId) return null;
      const messages = await tx.message.findMany({ where: inSnapshot(link), orderBy: { createdAt: 'asc' } });
      const mediaIds = [...new Set(messages.flatMap((m) => mediaIdsOfParts(m.parts as ChatMessage['parts'])))].filter((id) => contentOf.has(id));
      const where = { id: { in: mediaIds }, conversationId: link.conversationId };
      const sources = (await tx.media.findMany({ where, select: { sha256: true } })).map((m) => m.sha256);
      const hashes = [...new Set([...sources, ...contents.map((c) => c.sha256)])].sort();
      for (const hash of hashes) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${hash}, 0))`;
      const media = await tx.media.findMany({ where });
      const stored = new Set<string>();
      for (const content of media.map((m) => contentOf.get(m.id)!)) {
        if (stored.has(content.sha256)) continue;
        stored.add(content.sha256);
        if ((await tx.media.count({ where: { sha256: content.sha256 } })) === 0) await content.store();
      }

      const conversationId = randomUUID();
      await tx.conversation.create({ data: { id: conversationId, userId: viewerId, title: link.conversation.title, modelId: link.conversation.modelId } });
      const newIds = new Map(media.map((m) => [m.id, randomUUID()]));
      if (media.length > 0) {
        await tx.media.createMany({
          data: media.map((source) => {
            const content = contentOf.get(source.id)!;
            return {
              id: newIds.get(source.id)!,
              userId: viewerId,
              conversationId,
              kind: source.kind,
              filename: source.filename,
              durationMs: source.durationMs,
              transcriptId: source.transcriptId,
              translationIds: source.translationIds,
              width: content.size?.width ?? source.width,
              height: content.size?.height ?? source.height,
              sha256: content.sha256,
              mediaType: content.mediaType,
              bytes: content.bytes,
              originalKey: content.originalKey,
              previewKey: content.previewKey,
              playbackKey: content.playbackKey,
            };
          }),
        });
        await copyVideoTimelines(tx, newIds, contentOf);
      }
      if (messages.length > 0) {
        await tx.message.createMany({
          data: messages.map(({ id: _id, conversationId: _source, parts, status, errorCode, inputTokens: _in, outputTokens: _out, costUsd: _cost, ...rest }) => ({
            ...rest,
            // Copying spent nothing: usage and cost stay with the conversation that really asked.
            inputTokens: null,
            outputTokens: null,
            costUsd: null,
            id: randomUUID(),
            conversationId,
            parts: copiedParts(parts as ChatMessage['parts'], newIds) as Prisma.InputJsonValue,
            // Nothing will ever finish an answer that was still being written in someone else's conversation.
            status: status === 'streaming' ? 'error' : status,
            errorCode: status === 'streaming' ? 'This answer was not finished when the conversation was shared.' : errorCode,
          })),
        });
      }
      return { conversationId };
    },
    // maxWait too: on the embedded database even BEGIN waits while another transaction is open.
    { timeout: COPY_TIMEOUT_MS, maxWait: COPY_TIMEOUT_MS },
  );
}

/**
 * A copied video comes with its finished timeline (the job's outcome and the frames, whose
 * thumbnails the copy's content holds under its own hash): nothing is processed again. The copy's model calls
 * and cost are zero, as they were spent on the original.
 */
async function copyVideoTimelines(tx: Prisma.TransactionClient, newIds: Map<string, string>, contentOf: Map<string, CopiedContent>): Promise<void> {
  const sourceIds = [...newIds.keys()];
  const jobs = await tx.videoJob.findMany({ where: { mediaId: { in: sourceIds }, status: 'succeeded' } });
  if (jobs.length === 0) return;
  await tx.videoJob.createMany({
    data: jobs.map(({ mediaId, settings, createdAt: _created, updatedAt: _updated, queueJobId: _queued, modelCalls: _calls, cachedCalls: _cached, costUsd: _cost, ...outcome }) => ({
      ...outcome,
      settings: settings as Prisma.InputJsonValue,
      mediaId: newIds.get(mediaId)!,
    })),
  });
  const frames = await tx.videoFrame.findMany({ where: { mediaId: { in: jobs.map((j) => j.mediaId) } } });
  await tx.videoFrame.createMany({
    data: frames.map((frame) => ({ ...frame, mediaId: newIds.get(frame.mediaId)!, thumbKey: contentOf.get(frame.mediaId)!.frameKey(frame.thumbKey) })),
  });
}
