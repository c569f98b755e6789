import { db } from '@/lib/db/client';

export type NewMedia = {
  userId: string;
  sha256: string;
  mediaType: string;
  filename: string;
  bytes: number;
  width: number;
  height: number;
  originalKey: string;
  previewKey: string;
};

export function createMedia(data: NewMedia) {
  return db().media.create({ data });
}

export function getOwnedMedia(userId: string, id: string) {
  return db().media.findFirst({ where: { id, userId } });
}

export function getOwnedMediaMany(userId: string, ids: string[]) {
  return db().media.findMany({ where: { id: { in: ids }, userId } });
}

export function getMediaMany(ids: string[]) {
  return db().media.findMany({ where: { id: { in: ids } } });
}

/** Media not yet sent in a message can be withdrawn from the composer. */
export async function deleteUnsentMedia(userId: string, id: string) {
  return db().media.deleteMany({ where: { id, userId, conversationId: null } });
}

/** Blobs are content-addressed and may be shared by several rows: only the last row's removal frees them. */
export async function isBlobReferenced(key: string): Promise<boolean> {
  const count = await db().media.count({ where: { OR: [{ originalKey: key }, { previewKey: key }] } });
  return count > 0;
}

/** Uploads never sent in a message, older than `before`: the composer was abandoned. */
export function findUnsentMediaBefore(before: Date) {
  return db().media.findMany({ where: { conversationId: null, createdAt: { lt: before } }, take: 500 });
}

export function deleteMediaRows(ids: string[]) {
  return db().media.deleteMany({ where: { id: { in: ids }, conversationId: null } });
}
