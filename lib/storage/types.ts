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
  /** Removing a key that does not exist is not an error. */
  delete(key: string): Promise<void>;
  /** A cheap liveness check for /api/health. */
  check(): Promise<void>;
}
