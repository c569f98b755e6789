import path from 'node:path';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return Math.floor(value);
}

/** Where embedded defaults keep their state (database files, local blobs, the cookie secret). */
export function dataDir(): string {
  // Resolved at run time from the environment; the bundler must not trace it.
  return path.resolve(/* turbopackIgnore: true */ process.env.DATA_DIR || '.data');
}

/** Upload limits for images, as data: the route and the UI both read these. */
export function imageUploadLimits() {
  return {
    maxBytes: intFromEnv('MAX_IMAGE_BYTES', 20 * 1024 * 1024),
    maxPixels: intFromEnv('MAX_IMAGE_PIXELS', 50_000_000),
    maxPerMessage: intFromEnv('MAX_IMAGES_PER_MESSAGE', 10),
  };
}

export type ImageUploadLimits = ReturnType<typeof imageUploadLimits>;
