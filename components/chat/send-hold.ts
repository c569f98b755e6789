import type { JobEvent, ProcessedKind } from '@/components/video/job';

/** What the hold looks at in a staged attachment. */
export interface HeldAttachment {
  kind: 'image' | ProcessedKind;
  state: 'waiting' | 'uploading' | 'ready' | 'error';
  job?: Pick<JobEvent, 'status'>;
}

const words: Record<ProcessedKind, { one: string; many: (n: number) => string; waiting: string; stopped: string }> = {
  video: { one: 'the video', many: (n) => `${n} videos`, waiting: 'to finish processing', stopped: 'could not be processed' },
  audio: { one: 'the recording', many: (n) => `${n} recordings`, waiting: 'to be transcribed', stopped: 'could not be transcribed' },
};

/**
 * Videos and recordings that keep Send disabled: a video is worth asking about once its scenes are
 * described, a recording once its transcript exists, because that is what the model reads.
 * A file whose upload failed holds nothing: it is not sent.
 */
export function heldBy(attachments: HeldAttachment[], kind: ProcessedKind) {
  const pending = attachments.filter((a) => a.kind === kind && a.state !== 'error' && a.job?.status !== 'succeeded');
  const stopped = pending.filter((a) => a.job?.status === 'failed' || a.job?.status === 'canceled').length;
  return { waiting: pending.length - stopped, stopped };
}

/** What Send waits for, in words ("Wait for 2 recordings to be transcribed"); null when it waits for none of `kind`. */
export function holdMessage(attachments: HeldAttachment[], kind: ProcessedKind): string | null {
  const { waiting, stopped } = heldBy(attachments, kind);
  const w = words[kind];
  const what = (n: number) => (n === 1 ? w.one : w.many(n));
  const fix = `retry or remove ${what(stopped)} that ${w.stopped}.`;
  if (waiting > 0 && stopped > 0) return `Wait for ${what(waiting)} ${w.waiting}; ${fix}`;
  if (waiting > 0) return `Wait for ${what(waiting)} ${w.waiting}`;
  if (stopped > 0) return fix[0].toUpperCase() + fix.slice(1);
  return null;
}
