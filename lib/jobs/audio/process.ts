import { audioUploadLimits } from '@/lib/config';
import { correctDuration } from '@/lib/db/media';
import { setMediaTranscript } from '@/lib/db/transcripts';
import { AppError } from '@/lib/errors';
import { transcriptionModel } from '@/lib/ai/transcription';
import { runAttempt, type ProcessingTask } from '@/lib/jobs/attempt';
import { storePlaybackCopy } from '@/lib/jobs/playback-copy';
import { audioStageStart } from '@/lib/jobs/progress';
import { transcribeSound } from '@/lib/jobs/transcript';
import { audioPlaybackMediaType, makeAudioPlaybackCopy } from '@/lib/media/audio/playback';
import { probeAudio } from '@/lib/media/audio/probe';
import { localCopy } from '@/lib/storage/local-copy';
import { noTranscriptionMessage } from '@/lib/uploads/audio';

/**
 * Probe → transcript → playback copy, for one recording. Restart-safe: the transcript is found by
 * the sound's hash once made, and each chunk's answer is cached, so a resumed attempt repeats no
 * call that finished.
 */
export function processAudio(task: ProcessingTask): Promise<void> {
  return runAttempt(task, async ({ media, signal, progress, calls }) => {
    await progress.report('probe', audioStageStart.probe, true);
    const input = await localCopy(media.originalKey);
    try {
      const info = await probeAudio(input.file, audioUploadLimits());
      if (!media.transcriptId) {
        if (!transcriptionModel()) throw new AppError('model_unavailable', noTranscriptionMessage);
        await progress.report('transcript', audioStageStart.transcript, true);
        const span = audioStageStart.playback - audioStageStart.transcript;
        const transcript = await transcribeSound(input.file, {
          limits: audioUploadLimits(),
          signal,
          calls,
          onProgress: (share) => void progress.report('transcript', audioStageStart.transcript + span * share),
        });
        // Canceled while the last answer came in: the job is no longer this attempt's to finish.
        signal.throwIfAborted();
        if (Math.abs(transcript.durationMs - info.durationMs) > 1000) await correctDuration(media, transcript.durationMs);
        await setMediaTranscript(media.id, transcript.id);
      }
      await progress.report('playback', audioStageStart.playback, true);
      await storePlaybackCopy(media, audioPlaybackMediaType, (output) =>
        makeAudioPlaybackCopy(input.file, output, info, {
          signal,
          onProgress: (ms) => void progress.report('playback', audioStageStart.playback + (1 - audioStageStart.playback) * (ms / info.durationMs)),
        }),
      );
      return {};
    } finally {
      await input.cleanup();
    }
  });
}
