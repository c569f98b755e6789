import { audioView } from '@/lib/audio/view';
import { batchSummary, itemView } from '@/lib/batch/view';
import { findComparisonJob } from '@/lib/api/comparison-job';
import { batchItems, getOwnedBatch } from '@/lib/db/batches';
import { framesOf, getOwnedAudio, getOwnedVideo } from '@/lib/db/video-jobs';
import { AppError } from '@/lib/errors';
import { loadTranscriptView } from '@/lib/transcripts/load';
import type { TranscriptView } from '@/lib/transcripts/view';
import { videoView } from '@/lib/video/view';
import type { Job } from '@/lib/api/schemas';

/** Another person's job looks exactly like one that never was. */
export const jobNotFoundMessage = 'This job does not exist.';

/** The caller's job, or a 404 that says the same for anyone else's. */
export async function ownedJob(userId: string, id: string): Promise<Job> {
  const job = await findJob(userId, id);
  if (!job) throw new AppError('not_found', jobNotFoundMessage);
  return job;
}

/** A job just started: 202, its state as GET /api/v1/jobs/{id} gives it, and where to follow it. */
export async function startedJobResponse(userId: string, id: string): Promise<Response> {
  return Response.json(await ownedJob(userId, id), { status: 202, headers: { location: `/api/v1/jobs/${id}` } });
}

/**
 * The caller's job with this id, whatever it is: a video or a recording (its media id), a batch,
 * or a comparison (its conversation id).
 * Null for anyone else's, so the route answers 404 alike.
 */
async function findJob(userId: string, id: string): Promise<Job | null> {
  const [video, recording, batch, comparison] = await Promise.all([
    getOwnedVideo(userId, id),
    getOwnedAudio(userId, id),
    getOwnedBatch(userId, id),
    findComparisonJob(userId, id),
  ]);
  if (comparison) return comparison;
  if (video) {
    const view = videoView(video, await framesOf(video.id), await loadTranscriptView(video));
    return {
      id: view.id,
      kind: 'video',
      ...jobState(view.job),
      created_at: video.createdAt.toISOString(),
      filename: view.filename,
      duration_ms: view.durationMs,
      summary: view.job.summary,
      scenes: view.scenes.map((s) => ({ index: s.index, start_ms: s.startMs, end_ms: s.endMs, caption: s.caption, speech: s.speech })),
      transcript: transcriptOf(view.transcript),
    };
  }
  if (recording) {
    const view = audioView(recording, await loadTranscriptView(recording));
    return {
      id: view.id,
      kind: 'recording',
      ...jobState(view.job),
      created_at: recording.createdAt.toISOString(),
      filename: view.filename,
      duration_ms: view.durationMs,
      transcript: transcriptOf(view.transcript),
    };
  }
  if (batch) {
    const [summary, items] = await Promise.all([batchSummary(batch), batchItems(batch.id)]);
    const { total, pending, running, succeeded, failed } = summary.counts;
    return {
      id: summary.id,
      kind: 'batch',
      // A batch whose images all have their outcome has succeeded as a job, some of them failed or not.
      status: summary.status === 'completed' ? 'succeeded' : summary.status,
      progress: total === 0 ? 0 : (succeeded + failed) / total,
      error: summary.error,
      created_at: summary.createdAt,
      prompt: summary.prompt,
      model: summary.modelId,
      counts: { total, pending, running, succeeded, failed, cached: summary.cachedCount },
      cost_usd: summary.costUsd,
      items: items.map(itemView).map((i) => ({ index: i.index, filename: i.filename, status: i.status, text: i.text, result: i.result, error: i.error, cached: i.cached })),
    };
  }
  return null;
}

const jobState = (job: { status: Job['status']; stage: string; progress: number; error: string | null }) => ({
  status: job.status,
  stage: job.stage,
  progress: job.progress,
  error: job.error,
});

function transcriptOf(view: TranscriptView | null) {
  if (!view) return null;
  const segments = view.segments.map((s) => ({ start_ms: s.startMs, end_ms: s.endMs, text: s.text }));
  return { language: view.language, text: view.segments.map((s) => s.text).join(' '), segments };
}
