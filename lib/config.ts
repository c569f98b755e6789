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

/** Where `npm start` leaves the embedded database's URL while it runs, for `npm run worker`. */
export function embeddedUrlFile(): string {
  return path.join(dataDir(), 'postgres.url');
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

/** Upload limits for videos: ffprobe measures the file against these before anything is stored for it. */
export function videoUploadLimits() {
  return {
    // 2 GB, not GiB: the usage ledger counts bytes in a 32-bit integer.
    maxBytes: intFromEnv('MAX_VIDEO_BYTES', 2_000_000_000),
    maxDurationMs: intFromEnv('MAX_VIDEO_SECONDS', 3 * 60 * 60) * 1000,
    // Shorter than this there is nothing to follow over time: send it as an image instead.
    minDurationMs: intFromEnv('MIN_VIDEO_MS', 1000),
    // Below this a frame is unreadable for a model even after upscaling.
    minSide: intFromEnv('MIN_VIDEO_SIDE', 16),
    // 4K UHD: every frame is decoded for scene detection, and an 8K one costs four times as much.
    maxPixels: intFromEnv('MAX_VIDEO_PIXELS', 3840 * 2160),
  };
}

export type VideoLimits = ReturnType<typeof videoUploadLimits>;

/**
 * How long one attempt at processing a video or recording may take (JOB_MAX_SECONDS, 2 h): one
 * that takes longer fails with a message, not retried, instead of holding a worker for hours.
 */
export function jobTimeLimitSeconds(): number {
  return intFromEnv('JOB_MAX_SECONDS', 2 * 60 * 60);
}

/** Upload limits for audio (or a video whose sound is what matters): ffprobe measures the file against these. */
export function audioUploadLimits() {
  return {
    maxBytes: intFromEnv('MAX_AUDIO_BYTES', 500_000_000),
    maxDurationMs: intFromEnv('MAX_AUDIO_SECONDS', 4 * 60 * 60) * 1000,
    // Shorter than this there is no word to transcribe.
    minDurationMs: intFromEnv('MIN_AUDIO_MS', 500),
  };
}

export type AudioLimits = ReturnType<typeof audioUploadLimits>;
