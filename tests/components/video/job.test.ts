import { describe, expect, it } from 'vitest';
import { stageLabel } from '@/components/video/job';

describe('stageLabel', () => {
  it('names a recording’s stages in its own words', () => {
    expect(stageLabel({ status: 'running', stage: 'probe' }, 'audio')).toBe('Reading recording');
    expect(stageLabel({ status: 'running', stage: 'transcript' }, 'audio')).toBe('Transcribing speech');
    expect(stageLabel({ status: 'running', stage: 'playback' }, 'audio')).toBe('Preparing playback');
    expect(stageLabel({ status: 'failed', stage: 'transcript' }, 'audio')).toBe('Transcription failed');
    expect(stageLabel({ status: 'queued', stage: 'probe' }, 'audio')).toBe('Waiting to start');
  });

  it('keeps a video’s words, its transcript stage included', () => {
    expect(stageLabel({ status: 'running', stage: 'probe' })).toBe('Reading video');
    expect(stageLabel({ status: 'running', stage: 'captions' })).toBe('Describing scenes');
    expect(stageLabel({ status: 'running', stage: 'transcript' }, 'video')).toBe('Transcribing speech');
    expect(stageLabel({ status: 'canceled', stage: 'frames' })).toBe('Processing canceled');
    expect(stageLabel({ status: 'running', stage: 'something-new' })).toBe('Processing');
  });

  it('says a retry is one, rather than starting over', () => {
    expect(stageLabel({ status: 'queued', stage: 'captions', error: 'The model server failed (HTTP 503).', retry: 0, retries: 3 })).toBe('Retrying 1/3 soon');
    expect(stageLabel({ status: 'running', stage: 'captions', error: null, retry: 2, retries: 3 })).toBe('Describing scenes · retrying 2/3');
    expect(stageLabel({ status: 'running', stage: 'transcript', error: null, retry: 0, retries: 3 }, 'audio')).toBe('Transcribing speech');
  });
});
