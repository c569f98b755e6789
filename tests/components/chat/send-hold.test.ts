import { describe, expect, it } from 'vitest';
import { heldBy, holdMessage, type HeldAttachment } from '@/components/chat/send-hold';

const recording = (state: HeldAttachment['state'], status?: NonNullable<HeldAttachment['job']>['status']): HeldAttachment => ({
  kind: 'audio',
  state,
  job: status ? { status } : undefined,
});

describe('holdMessage', () => {
  it('waits for recordings still uploading or being transcribed, and counts them', () => {
    expect(holdMessage([recording('ready', 'running')], 'audio')).toBe('Wait for the recording to be transcribed');
    expect(holdMessage([recording('waiting'), recording('uploading'), recording('ready', 'queued'), recording('ready', 'succeeded')], 'audio')).toBe(
      'Wait for 3 recordings to be transcribed',
    );
  });

  it('asks for a retry or removal of those that failed or were canceled', () => {
    expect(holdMessage([recording('ready', 'failed')], 'audio')).toBe('Retry or remove the recording that could not be transcribed.');
    expect(holdMessage([recording('ready', 'failed'), recording('ready', 'canceled'), recording('ready', 'running')], 'audio')).toBe(
      'Wait for the recording to be transcribed; retry or remove 2 recordings that could not be transcribed.',
    );
  });

  it('holds nothing for transcribed recordings, refused uploads, images, or the other kind', () => {
    const staged: HeldAttachment[] = [recording('ready', 'succeeded'), recording('error'), { kind: 'image', state: 'uploading' }, { kind: 'video', state: 'ready', job: { status: 'running' } }];
    expect(holdMessage(staged, 'audio')).toBeNull();
    expect(heldBy(staged, 'audio')).toEqual({ waiting: 0, stopped: 0 });
  });

  it('words a video as before', () => {
    expect(holdMessage([{ kind: 'video', state: 'ready', job: { status: 'running' } }], 'video')).toBe('Wait for the video to finish processing');
    expect(holdMessage([{ kind: 'video', state: 'ready', job: { status: 'failed' } }], 'video')).toBe('Retry or remove the video that could not be processed.');
  });
});
