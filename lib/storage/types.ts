/**
 * Where media bytes live. Keys are relative, slash-separated and content-derived
 * (e.g. `originals/<sha256>`); a backend never accepts a key that could escape its root.
 * Every operation throws for a key outside the grammar in `./keys` (a programming error).
 */
export interface BlobStore {
  readonly kind: 'local' | 'vercel-blob';
  /** Idempotent: putting the same key twice keeps one object, holding the last bytes put. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The bytes, or null when the key does not exist. */
  get(key: string): Promise<Buffer | null>;
  /** Streams a local file into the store (constant memory, whatever its size); same idempotence as put. */
  putFile(key: string, filePath: string, contentType: string): Promise<void>;
  /** The whole blob, or the inclusive byte range asked for, as a stream; null when the key does not exist. */
  read(key: string, range?: ByteRange): Promise<BlobRead | null>;
  /** Where the blob already lies on this machine's disk, so a worker can hand it to ffmpeg without a copy. */
  localFile(key: string): string | null;
  /** Removing a key that does not exist is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every key below `prefix` (a valid key, taken as a folder). */
  deletePrefix(prefix: string): Promise<void>;
  /** Keys below `prefix` (a folder) last written before `before`, at most `limit` of them. */
  listOlderThan(prefix: string, before: Date, limit?: number): Promise<string[]>;
  /** A cheap liveness check for /api/health. */
  check(): Promise<void>;
}

/** Inclusive, as in an HTTP Range header; a missing end means to the end of the blob. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface BlobRead {
  stream: ReadableStream<Uint8Array>;
  /** The whole blob's size; `start`..`end` (inclusive) is the part being streamed. */
  size: number;
  start: number;
  end: number;
}
